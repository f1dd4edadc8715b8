# shellcheck shell=bash
# What the bot needs on a fresh Debian 12 machine, installed only when missing.
# Source this file; it defines:
#
#   apt_ensure PKG...     install the Debian packages that are not installed yet
#   swift_ensure          put Swift (at /opt/swift) on PATH, or explain what is missing
#   python_env_ensure     a private Python environment in .local/venv with the test tools

_apt_updated=""

apt_ensure() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$_apt_updated" ]; then apt-get update -qq; _apt_updated=1; fi
    echo "installing: ${missing[*]}" >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

swift_ensure() {
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH=/opt/swift/usr/bin:$PATH
    fi
    if ! command -v swift >/dev/null 2>&1; then
        echo "Swift 6 is required (expected at /opt/swift/usr/bin/swift)" >&2
        return 1
    fi
}

python_env_ensure() {
    local root=$1
    if ! python3 -m venv --help >/dev/null 2>&1; then apt_ensure python3 python3-venv; fi
    if [ ! -x "$root/.local/venv/bin/python" ]; then
        mkdir -p "$root/.local"
        python3 -m venv "$root/.local/venv"
    fi
    "$root/.local/venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/scripts/requirements-test.txt"
}
