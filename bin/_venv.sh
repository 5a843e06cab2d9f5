# Sourced by bin/ scripts: make .venv with the project installed (editable) and its test tools.
# Reinstalls when pyproject.toml is newer than the last install.
if [ ! -x .venv/bin/python ]; then
  python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".[test]"
  touch .venv/.installed
fi
