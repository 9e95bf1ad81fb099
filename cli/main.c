#include <stdio.h>
#include "qala/qala.h"
int main(void) { printf("qala %s\n", qala_version()); return 0; }
