#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter (Rasa 3.6 supports nothing newer).
# Order: $PYTHON, python3.10 on PATH, pyenv's versions, common system locations.
set -u
candidates=("${PYTHON:-}" "$(command -v python3.10 2>/dev/null || true)")
for dir in "$(pyenv root 2>/dev/null || true)" "$HOME/.pyenv"; do
  [ -n "$dir" ] && candidates+=("$dir"/versions/3.10*/bin/python3.10)
done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
for candidate in "${candidates[@]}"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] \
     && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo "error: Python 3.10 not found. Install it (e.g. 'pyenv install 3.10') or set PYTHON=/path/to/python3.10." >&2
exit 1
