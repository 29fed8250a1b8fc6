#!/bin/sh
# Rollback hook stub: put the previous version back in service. relman
# passes the version restored in RELMAN_PREVIOUS_VERSION and the reason in
# RELMAN_REASON.
echo "restoring $RELMAN_SERVICE $RELMAN_PREVIOUS_VERSION (was $RELMAN_VERSION): $RELMAN_REASON"
rm -f ".relman/logs/$RELMAN_SERVICE.down"
