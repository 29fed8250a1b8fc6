#!/bin/sh
# Deploy hook stub: put RELMAN_VERSION of RELMAN_SERVICE into RELMAN_ENV.
# relman passes every value as a variable (never pasted into this text):
# RELMAN_STRATEGY (rolling, blue-green, canary), RELMAN_TRAFFIC (percent),
# RELMAN_SLOT (blue-green), RELMAN_PREVIOUS_VERSION.
echo "deploying $RELMAN_SERVICE $RELMAN_VERSION to $RELMAN_ENV ($RELMAN_STRATEGY, ${RELMAN_TRAFFIC}% of traffic${RELMAN_SLOT:+, slot $RELMAN_SLOT})"
