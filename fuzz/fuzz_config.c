/* libFuzzer harness for the lsa.conf parser: any bytes parse or fail with a message,
 * never crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct lsa_config *config = NULL;
    char err[512];
    if (lsa_config_parse_string(text, "fuzz.conf", &config, err, sizeof(err)) == 0) {
        for (size_t i = 0; i < config->package_count; i++)
            (void)lsa_config_get(config, config->packages[i], "greeting");
        lsa_config_free(config);
    } else if (memchr(err, '\0', sizeof(err)) == NULL) {
        abort(); /* the error message must be a terminated string */
    }
    free(text);
    return 0;
}
