/* fuzz_schema.c - libFuzzer harness for the JSON Schema validator: the
 * input is a schema and an instance separated by a NUL byte (without one,
 * the input is an instance for the styrdok schema).  Compiling and
 * validating must never crash, hang or leak, whatever either is. */
#include "jsonschema.h"
#include "styrdok.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(const char *pointer, const char *keyword, const char *reason, void *ctx) {
    (void)pointer;
    (void)keyword;
    (void)reason;
    ++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nul = memchr(data, 0, size);
    size_t schema_len;
    const char *schema_text = sd_schema_text(&schema_len);
    const char *instance_text = (const char *)data;
    size_t instance_len = size;
    if (nul) {
        schema_text = (const char *)data;
        schema_len = (size_t)(nul - data);
        instance_text = (const char *)nul + 1;
        instance_len = size - schema_len - 1;
    }
    json_t *schema = json_loadb(schema_text, schema_len, JSON_DECODE_ANY, NULL);
    json_t *instance = json_loadb(instance_text, instance_len, JSON_DECODE_ANY, NULL);
    if (schema && instance) {
        char message[256];
        sd_jsonschema *plan = sd_jsonschema_compile(schema, NULL, NULL, message, sizeof message);
        if (plan) {
            size_t errors = 0;
            size_t reported = sd_jsonschema_validate(plan, instance, count, &errors);
            if (reported != errors) abort(); /* the count returned is the count reported */
            size_t first = sd_jsonschema_validate(plan, instance, NULL, NULL);
            if ((first == 0) != (errors == 0))
                abort(); /* the verdict does not depend on reporting */
            sd_jsonschema_free(plan);
        }
    }
    json_decref(schema);
    json_decref(instance);
    return 0;
}
