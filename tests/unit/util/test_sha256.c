/* SHA-256 against the FIPS 180-4 example values (NIST CSRC "SHA256.pdf" examples). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "qala/common.h"

Test(sha256, matches_the_fips_180_4_examples)
{
    char hex[65];
    qala_sha256_hex(hex, "abc", 3);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    qala_sha256_hex(hex, "", 0);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(sha256, of_a_file_equals_that_of_its_bytes_and_missing_files_are_io_errors)
{
    char path[] = "/tmp/qala-sha-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "wb");
    for (int i = 0; i < 100000; i++)
        fputs("abc", f);
    fclose(f);
    static char big[300000];
    for (int i = 0; i < 100000; i++)
        memcpy(big + 3 * i, "abc", 3);
    char a[65], b[65];
    cr_assert_eq(qala_sha256_file(a, path), QALA_OK);
    qala_sha256_hex(b, big, sizeof big);
    cr_assert_str_eq(a, b);
    remove(path);
    cr_assert_eq(qala_sha256_file(a, path), QALA_EIO);
}
