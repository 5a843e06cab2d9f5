# Sourced by bin/ scripts: `need_packages PKG...` installs the Debian packages a command needs when
# they are missing (apt-get as root, or through passwordless sudo). Where it cannot, it stops at
# once and prints the one command to run; nothing half-installed is left behind.
need_packages() {
  local missing=() pkg
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "This machine has no dpkg/apt-get. Install the equivalents of these Debian packages, then run again:" >&2
    echo "  $*" >&2
    exit 1
  fi
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "Missing system packages: ${missing[*]}. Run this, then run the command again:" >&2
      echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "Installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What PDFs need (WeasyPrint's Pango, HarfBuzz's subsetter, a CJK font): the site and the tests.
SITE_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
# What the tests need besides: pdftotext, and the browser the page tests drive.
TEST_PACKAGES=("${SITE_PACKAGES[@]}" poppler-utils chromium)
