#!/bin/sh
# Squeeze Assistant installer: the startup script inside the self-extracting .run file.
# makeself unpacks the payload to a temporary folder and runs this script there.
#
#   ./squeeze-assistant-VERSION-linux-x86_64.run                       per user, into ~/.local
#   ./squeeze-assistant-VERSION-linux-x86_64.run -- --prefix DIR       somewhere else
#   sudo ./squeeze-assistant-VERSION-linux-x86_64.run -- --prefix /usr/local   system-wide
#   PREFIX=DIR ./squeeze-assistant-VERSION-linux-x86_64.run            same as --prefix DIR
#
# Layout under PREFIX (default ~/.local):
#   share/squeeze-assistant/app/          the program (the PyInstaller onedir) + uninstall.sh
#   bin/assistant                         the command (no arguments opens the window)
#   share/applications/squeeze-assistant.desktop, share/icons/hicolor/*/apps/squeeze-assistant.*
# Every path it creates is listed in app/installed-files.txt; uninstall.sh removes exactly those.
set -eu
umask 022  # makeself runs this with 077: a system-wide install must be readable by every user

APP=squeeze-assistant
VERSION="@VERSION@"
here=$(cd "$(dirname "$0")" && pwd)
prefix="${PREFIX:-}"
quiet=0

usage() {
    cat <<EOF
Squeeze Assistant $VERSION installer

Options (after -- when given to the .run file):
  --prefix DIR   install under DIR (default: ~/.local; PREFIX=DIR works too)
  --quiet        print only errors
  --help         this text
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || { echo "install: --prefix needs a folder" >&2; exit 2; }
                  prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --quiet|-q) quiet=1; shift ;;
        --help|-h) usage; exit 0 ;;
        --) shift ;;
        *) echo "install: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

say() { [ "$quiet" = 1 ] || echo "$@"; }

if [ -z "$prefix" ]; then
    [ -n "${HOME:-}" ] || { echo "install: HOME is not set; use --prefix DIR" >&2; exit 2; }
    prefix="$HOME/.local"
fi
# makeself runs this from its temporary folder; USER_PWD is where the user started it
case "$prefix" in /*) ;; *) prefix="${USER_PWD:-$(pwd)}/$prefix" ;; esac
prefix="${prefix%/}"
case "$prefix" in
    *[\\\"\`\$]*|*"
"*) echo "install: the folder must not contain \\, \", \`, \$ or a line break: $prefix" >&2
       exit 2 ;;
esac

case "$(uname -m)" in
    x86_64|amd64) ;;
    *) echo "install: this build is for x86_64 Linux, not $(uname -m)" >&2; exit 1 ;;
esac

appdir="$prefix/share/$APP/app"
bindir="$prefix/bin"
appsdir="$prefix/share/applications"
icondir="$prefix/share/icons/hicolor"
list="$appdir/installed-files.txt"

# Checked before an older copy is removed: the program to install must be here (a second run of
# an unpacked copy finds it gone), the first folder that exists on the way to PREFIX
# must be writable, and its disk must hold the program (the older copy's room counts as free;
# when the payload is already on that disk, mv only renames it).
if [ ! -d "$here/app" ] || [ ! -w "$here" ]; then
    echo "install: the program to install is missing from $here; run the .run file again" >&2
    exit 1
fi
existing="$prefix"
while [ ! -d "$existing" ]; do existing=$(dirname "$existing"); done
if [ ! -w "$existing" ]; then
    echo "install: cannot write to $existing; choose another folder with --prefix DIR," \
        "or run the installer with sudo for a system folder" >&2
    exit 1
fi
if [ "$(stat -c %d "$existing")" != "$(stat -c %d "$here")" ]; then
    need_kb=$(du -sk "$here/app" | cut -f1)
    free_kb=$(df -Pk "$existing" | awk 'NR == 2 { print $4 }')
    if [ -d "$appdir" ]; then free_kb=$((free_kb + $(du -sk "$appdir" | cut -f1))); fi
    if [ "$free_kb" -lt $((need_kb + 10240)) ]; then
        echo "install: $((free_kb / 1024)) MB can be used in $existing; Squeeze Assistant" \
            "needs $((need_kb / 1024 + 10)) MB. Free some space or choose another folder." >&2
        exit 1
    fi
fi

# An older install in the same place goes first, by its own list, so nothing stale stays behind.
if [ -x "$appdir/uninstall.sh" ]; then
    old=$(sed -n '1s/^# Squeeze Assistant \([^:]*\):.*/\1/p' "$list" 2>/dev/null || true)
    say "Replacing Squeeze Assistant ${old:-(an older version)} in $appdir with $VERSION;" \
        "your history and settings are kept"
    "$appdir/uninstall.sh" --yes --quiet || true
fi
if [ -e "$appdir" ]; then
    echo "install: $appdir exists and is not an install of this app; move it away first" >&2
    exit 1
fi

# Folders that did not exist before are recorded too, so the uninstaller can remove them when empty.
created=""
make_dir() {
    _missing=""
    _d="$1"
    while [ ! -d "$_d" ]; do
        _missing="$_d
$_missing"
        _d=$(dirname "$_d")
    done
    mkdir -p "$1"
    created="$created$_missing"
}

say "Installing Squeeze Assistant $VERSION into $appdir"
make_dir "$(dirname "$appdir")"
make_dir "$bindir"
make_dir "$appsdir"
make_dir "$icondir/256x256/apps"
make_dir "$icondir/scalable/apps"

if ! errors=$(mv "$here/app" "$appdir" 2>&1); then   # makeself deletes its temp folder
    printf '%s\n' "$errors" | head -n 3 >&2
    rm -rf "$appdir"
    printf '%s' "$created" | awk 'NF' | awk '{ print length($0) "\t" $0 }' | sort -rn |
        cut -f2- | while IFS= read -r dir; do rmdir "$dir" 2>/dev/null || true; done
    echo "install: could not copy the program into $appdir; nothing was installed" >&2
    exit 1
fi
chmod 755 "$appdir/assistant"
cp "$here/uninstall.sh" "$appdir/uninstall.sh"
chmod 755 "$appdir/uninstall.sh"

# The command: a two-line wrapper, so the program can find its _internal folder whatever the
# caller's working directory or symlinks.
cat >"$bindir/assistant" <<EOF
#!/bin/sh
exec "$appdir/assistant" "\$@"
EOF
chmod 755 "$bindir/assistant"

cp "$here/icons/squeeze-assistant.png" "$icondir/256x256/apps/$APP.png"
cp "$here/icons/squeeze-assistant.svg" "$icondir/scalable/apps/$APP.svg"

# Icon by theme name when PREFIX/share is where the desktop looks for icons, else by full path.
icon="$icondir/256x256/apps/$APP.png"
data_home="${XDG_DATA_HOME:-${HOME:-/nonexistent}/.local/share}"
for dir in "$data_home" $(echo "${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" | tr ':' ' '); do
    if [ "${dir%/}" = "$prefix/share" ]; then icon="$APP"; fi
done
# In sed's replacement & and | are special; in Exec= a % must be doubled (desktop entry spec).
sed_text() { printf '%s\n' "$1" | sed -e 's/[\\&|]/\\&/g'; }
exec_path=$(sed_text "$(printf '%s\n' "$appdir/assistant" | sed 's/%/%%/g')")
sed -e "s|@EXEC@|\"$exec_path\"|" -e "s|@ICON@|$(sed_text "$icon")|" -e "s|@VERSION@|$VERSION|" \
    "$here/$APP.desktop" >"$appsdir/$APP.desktop"
chmod 644 "$appsdir/$APP.desktop"

{
    echo "# Squeeze Assistant $VERSION: files and folders the installer created (uninstall.sh reads it)"
    echo "prefix $prefix"
    echo "file $bindir/assistant"
    echo "file $appsdir/$APP.desktop"
    echo "file $icondir/256x256/apps/$APP.png"
    echo "file $icondir/scalable/apps/$APP.svg"
    echo "appdir $appdir"
    # deepest folders first
    printf '%s' "$created" | awk 'NF' | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2- |
        sed 's/^/dir /'
} >"$list"

# Menus notice new .desktop files by themselves (update-desktop-database is only needed for
# MimeType= entries, and would leave a mimeinfo.cache behind). An icon cache that already exists
# is refreshed, so a system-wide hicolor theme shows the new icon at once.
if [ -f "$icondir/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$icondir" 2>/dev/null || true
fi

say "Done."
if [ "$icon" = "$APP" ]; then  # PREFIX/share is where menus look: the entry is in the menu
    say "  Start it from the applications menu (Squeeze Assistant), or run: $bindir/assistant"
else  # a --prefix elsewhere: menus do not read its share/applications
    say "  Start it with: $bindir/assistant (menus do not look in $prefix/share)"
fi
case ":${PATH:-}:" in
    *":$bindir:"*) ;;
    *) say "  ($bindir is not on your PATH; add it, or use the full path)" ;;
esac
say "  Uninstall: $appdir/uninstall.sh"
