#!/bin/sh
# Squeeze Assistant uninstaller (installed as PREFIX/share/squeeze-assistant/app/uninstall.sh).
#
#   uninstall.sh            asks before removing the program (default no), then asks before
#                           removing your own data: history, logs, settings (default no)
#   uninstall.sh --yes      no questions: removes the program, KEEPS your data
#   uninstall.sh --purge    also removes your data without asking (with --yes: fully unattended)
#
# It removes exactly what the installer listed in installed-files.txt, plus folders the installer
# created once they are empty. Your data folders are per user (platformdirs locations):
#   ${XDG_DATA_HOME:-~/.local/share}/squeeze-assistant   history.sqlite3, extra models
#   ${XDG_STATE_HOME:-~/.local/state}/squeeze-assistant  log
#   ${XDG_CONFIG_HOME:-~/.config}/Squeeze Assistant      settings
#   ${XDG_CACHE_HOME:-~/.cache}/squeeze-assistant        cache (if any)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
list="$here/installed-files.txt"
yes=0
purge=0
quiet=0

while [ $# -gt 0 ]; do
    case "$1" in
        --yes|-y) yes=1 ;;
        --purge) purge=1 ;;
        --quiet|-q) quiet=1 ;;
        --help|-h) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        *) echo "uninstall: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { [ "$quiet" = 1 ] || echo "$@"; }

# ask QUESTION: yes only for an explicit y/yes typed at a terminal (default no).
ask() {
    [ -t 0 ] || return 1
    printf '%s [y/N] ' "$1"
    read -r answer || return 1
    case "$answer" in y|Y|yes|YES|Yes) return 0 ;; *) return 1 ;; esac
}

if [ ! -f "$list" ]; then
    echo "uninstall: $list is missing; cannot tell what was installed" >&2
    exit 1
fi

appdir=$(sed -n 's/^appdir //p' "$list")
if [ "$appdir" != "$here" ]; then
    echo "uninstall: $list belongs to $appdir, not $here" >&2
    exit 1
fi

if [ "$yes" != 1 ] && ! ask "Remove Squeeze Assistant from $appdir?"; then
    if [ -t 0 ]; then say "Nothing removed."; else say "Nothing removed (no terminal to ask: use --yes)."; fi
    exit 0
fi

# Files and the program folder first, then the folders the installer created, deepest first.
sed -n 's/^file //p' "$list" | while IFS= read -r path; do
    rm -f -- "$path"
done
dirs=$(sed -n 's/^dir //p' "$list")
rm -rf -- "$appdir"
printf '%s\n' "$dirs" | while IFS= read -r dir; do
    if [ -n "$dir" ]; then rmdir -- "$dir" 2>/dev/null || true; fi
done
say "Squeeze Assistant removed from $appdir."

# The user's own data: only with --purge or a typed yes.
home="${HOME:-}"
data="${XDG_DATA_HOME:-$home/.local/share}/squeeze-assistant"
state="${XDG_STATE_HOME:-$home/.local/state}/squeeze-assistant"
config="${XDG_CONFIG_HOME:-$home/.config}/Squeeze Assistant"
cache="${XDG_CACHE_HOME:-$home/.cache}/squeeze-assistant"
found=""
for dir in "$data" "$state" "$config" "$cache"; do
    [ -n "$home" ] && [ -e "$dir" ] && found="$found$dir
"
done
if [ -n "$found" ]; then
    folders=$(printf '%s' "$found" | paste -sd' ' -)
    if [ "$purge" = 1 ] || { [ "$yes" != 1 ] && ask "Also delete your history, logs and settings ($folders)?"; }; then
        printf '%s' "$found" | while IFS= read -r dir; do
            [ -n "$dir" ] && rm -rf -- "$dir"
        done
        say "Your history, logs and settings were deleted."
    else
        say "Your own data was kept (delete these folders to remove it):"
        [ "$quiet" = 1 ] || printf '%s' "$found" | sed 's/^/  /'
    fi
fi
