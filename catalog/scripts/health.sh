#!/bin/sh
# Health probe stub: replace with your service's real check (exit 0 when
# healthy). It reports unhealthy while `.relman/logs/<service>.down`
# exists, which is how `relman demo` simulates an outage.
if [ -e ".relman/logs/$RELMAN_SERVICE.down" ]; then
  echo "$RELMAN_SERVICE $RELMAN_VERSION: /health answers 503"
  exit 1
fi
echo "$RELMAN_SERVICE $RELMAN_VERSION: /health answers 200"
