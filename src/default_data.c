/* src/default_data.c — lookup of the data files embedded by cmake/embed_data.cmake.
 * A few dozen files: a linear scan is enough.
 */
#include <string.h>

#include "qala/defaults.h"

struct qala_default_file__ {
    const char *name;
    const unsigned char *bytes;
    size_t len;
};
extern const struct qala_default_file__ qala_default__files[];

const char *qala_default_data(const char *name, size_t *len)
{
    for (const struct qala_default_file__ *f = qala_default__files; f->name; f++) {
        if (strcmp(f->name, name) == 0) {
            if (len)
                *len = f->len;
            return (const char *)f->bytes;
        }
    }
    return NULL;
}

const char *qala_default_data_name(size_t i)
{
    for (size_t k = 0; qala_default__files[k].name; k++)
        if (k == i)
            return qala_default__files[k].name;
    return NULL;
}
