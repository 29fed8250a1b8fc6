#!/bin/sh
# Release hook stub: relman runs it after tagging a service, from the
# repository's root. Replace the echo with your deployment. Values arrive
# only as environment variables (SPEC 6.3), never pasted into this text.
echo "deploying $RELMAN_SERVICE $RELMAN_VERSION (was $RELMAN_PREVIOUS_VERSION, train $RELMAN_TRAIN)"
