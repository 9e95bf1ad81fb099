/* src/util/sha256.c — SHA-256 of buffers and files through nettle, as hex text.
 * Files are read in 64 KiB blocks: constant memory whatever their size.
 */
#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "util/internal.h"

static void to_hex(char out[static 65], const uint8_t digest[SHA256_DIGEST_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

void qala_sha256_hex(char out[static 65], const void *data, size_t len)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    to_hex(out, digest);
}

qala_status qala_sha256_file(char out[static 65], const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return qala_err__set(QALA_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    static _Thread_local uint8_t block[65536];
    size_t n;
    sha256_init(&ctx);
    while ((n = fread(block, 1, sizeof block, f)) > 0)
        sha256_update(&ctx, n, block);
    int failed = ferror(f);
    fclose(f);
    if (failed)
        return qala_err__set(QALA_EIO, "cannot read '%s'", path);
    sha256_digest(&ctx, sizeof digest, digest);
    to_hex(out, digest);
    return QALA_OK;
}
