"""schemathesis hooks for scripts/contract (loaded through SCHEMATHESIS_HOOKS).

Each case gets an Idempotency-Key of its own. The generator draws the header from its schema like any
other value, so many cases share a short key ("0", "00"), and the server rightly answers the second one
409 (the key was used for a different request) before looking at its body: the body's bounds were never
tried. A valid key is replaced with a fresh one, which is valid too, so a positive case stays positive; an
invalid key (the negative cases about the header itself) is left as it was, still to be refused (422).
"""
import re
import uuid

import schemathesis

VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")


@schemathesis.hook
def before_call(ctx, case, kwargs):
    key = str(uuid.uuid4())
    for headers in (case.headers, kwargs.get("headers")):
        for name in list(headers or {}):
            value = headers[name]
            if name.lower() == "idempotency-key" and isinstance(value, str) and VALID_KEY.fullmatch(value):
                headers[name] = key
