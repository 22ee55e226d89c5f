# openapi: embed docs/openapi.json (hand-written, the API's description) into the binary as
# build/gen/openapi_json.c, which defines
#     const char api_openapi_json[];      /* the bytes, plus a terminating NUL */
#     const size_t api_openapi_json_len;  /* without the NUL */
# src/api/openapi.c serves it at GET /api/v1/openapi.json. Generated with od + awk (no xxd,
# no python at build time).

GEN_SRCS += build/gen/openapi_json.c

build/gen/openapi_json.c: docs/openapi.json mk/openapi.mk
	@mkdir -p $(dir $@)
	@{ \
	  echo '/* generated from docs/openapi.json by mk/openapi.mk; do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const char api_openapi_json[];'; \
	  echo 'extern const size_t api_openapi_json_len;'; \
	  echo 'const char api_openapi_json[] = {'; \
	  od -An -v -tx1 $< | awk '{ s = ""; for (i = 1; i <= NF; i++) s = s "0x" $$i ","; print "\t" s }'; \
	  echo '	0x00'; \
	  echo '};'; \
	  echo "const size_t api_openapi_json_len = $$(wc -c < $<);"; \
	} > $@.tmp && mv $@.tmp $@
