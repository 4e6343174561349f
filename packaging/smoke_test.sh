#!/usr/bin/env bash
# Installer smoke test: install, use and uninstall the Linux .run in a scratch HOME, network off.
#
#   packaging/smoke_test.sh dist/squeeze-assistant-<version>-linux-x86_64.run
#
# In a network namespace with no interfaces (unshare -n; as non-root: unshare -rn) and an empty
# scratch HOME/TMPDIR, it:
#   1. installs per user (default PREFIX ~/.local), checks launcher, .desktop entry and icons;
#   2. runs `assistant --version` and `assistant --self-test` from the installed copy;
#   3. times cold start to first result: `assistant sentiment TEXT` as a new process, 5 times;
#   4. starts the GUI offscreen (QT_QPA_PLATFORM=offscreen) and checks it comes up and keeps
#      running with no error in its log; if the app has a GUI self-check flag it uses that;
#   5. uninstalls with --yes and checks that only the user's data is left, then installs again
#      with --prefix and uninstalls with --yes --purge and checks that nothing at all is left.
# Prints installer size, installed size, install time and cold start. Exit 0 = all passed.
#
# Environment: SMOKE_KEEP=1 keeps the scratch folder; SMOKE_ALLOW_NETWORK=1 runs without
# unshare where namespaces are not permitted (the report then says so).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 INSTALLER.run" >&2
    exit 2
fi
installer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# --- network off: re-run this script inside a fresh network namespace ---------------------------
if [ "${SMOKE_IN_NETNS:-}" != 1 ]; then
    export SMOKE_IN_NETNS=1
    if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
        exec unshare -n "$self" "$@"
    elif unshare -rn true 2>/dev/null; then
        exec unshare -rn "$self" "$@"
    elif [ "${SMOKE_ALLOW_NETWORK:-}" = 1 ]; then
        echo "smoke: WARNING: cannot create a network namespace; running WITH network" >&2
        export SMOKE_NETWORK=on
    else
        echo "smoke: cannot turn the network off (unshare -n / -rn not permitted here);" \
            "set SMOKE_ALLOW_NETWORK=1 to run anyway" >&2
        exit 2
    fi
fi

failures=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
note() { printf '  note  %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
human() { awk -v n="$1" 'BEGIN { split("B KiB MiB GiB", u); i = 1; while (n >= 1024 && i < 4) { n /= 1024; i++ }; printf (i == 1 ? "%d %s" : "%.1f %s"), n, u[i] }'; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/squeeze-smoke.XXXXXX")
cleanup() {
    if [ "${SMOKE_KEEP:-}" = 1 ]; then echo "smoke: scratch kept in $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'echo "smoke: FAILED: unexpected error at line $LINENO" >&2' ERR
# A HOME as a desktop session leaves it: the XDG base folders exist (and must still be there,
# empty, at the end), nothing else.
mkdir -p "$scratch/tmp" "$scratch/home/.config" "$scratch/home/.cache" \
    "$scratch/home/.local/share" "$scratch/home/.local/state"
snapshot() { (cd "$scratch" && { find home opt tmp 2>/dev/null || true; } | sort); }
before=$(snapshot)

# A clean, minimal environment: nothing from the developer's HOME, venv or XDG settings.
run_env=(env -i "HOME=$scratch/home" "TMPDIR=$scratch/tmp" "PATH=/usr/local/bin:/usr/bin:/bin"
    "LANG=C.UTF-8" "USER=smoke")
in_env() { "${run_env[@]}" "$@"; }

echo "Squeeze Assistant installer smoke test"
echo "  installer: $installer"
printf '  size:      %s (%s bytes)\n' "$(human "$(stat -c %s "$installer")")" "$(stat -c %s "$installer")"

echo "[network]"
if [ "${SMOKE_NETWORK:-off}" = off ]; then
    if timeout 5 bash -c 'exec 3<>/dev/tcp/1.1.1.1/443' 2>/dev/null; then
        fail "network is reachable inside the namespace"
    else
        pass "network is off (no route out of this namespace)"
    fi
else
    note "network is ON (SMOKE_ALLOW_NETWORK=1)"
fi

# --- 1. install ----------------------------------------------------------------------------------
echo "[install: per user, default prefix]"
t0=$(now)
if in_env sh "$installer" --quiet >"$scratch/install.log" 2>&1; then
    pass "installed in $(elapsed "$t0" "$(now)") s"
else
    fail "installer exited with $? (log below)"
    sed 's/^/        /' "$scratch/install.log"
    exit 1
fi
home="$scratch/home"
appdir="$home/.local/share/squeeze-assistant/app"
launcher="$home/.local/bin/assistant"
desktop="$home/.local/share/applications/squeeze-assistant.desktop"
for path in "$appdir/assistant" "$appdir/uninstall.sh" "$launcher" "$desktop" \
    "$home/.local/share/icons/hicolor/256x256/apps/squeeze-assistant.png" \
    "$home/.local/share/icons/hicolor/scalable/apps/squeeze-assistant.svg"; do
    if [ -e "$path" ]; then pass "${path#"$scratch"/}"; else fail "missing ${path#"$scratch"/}"; fi
done
if grep -q "^Exec=\"$appdir/assistant\"$" "$desktop" && grep -q '^Icon=squeeze-assistant$' "$desktop"; then
    pass "desktop entry runs the installed app and names the themed icon"
else
    fail "desktop entry: $(grep -E '^(Exec|Icon)=' "$desktop" | tr '\n' ' ')"
fi
if grep -q '@[A-Z]*@' "$desktop"; then fail "unfilled placeholder in the desktop entry"; fi
if command -v desktop-file-validate >/dev/null 2>&1; then
    if desktop-file-validate "$desktop" >"$scratch/validate.log" 2>&1; then
        pass "desktop-file-validate"
    else
        fail "desktop-file-validate: $(tr '\n' ' ' <"$scratch/validate.log")"
    fi
fi
leftovers=$(find "$scratch/tmp" -mindepth 1 | head -3)
if [ -z "$leftovers" ]; then pass "installer left nothing in TMPDIR"; else fail "left in TMPDIR: $leftovers"; fi
installed_bytes=$(du -sb "$appdir" | cut -f1)
printf '  installed size: %s (%s bytes) in %s\n' "$(human "$installed_bytes")" "$installed_bytes" \
    "${appdir#"$scratch"/}"

# --- 2. the command line from the installed copy ---------------------------------------------------
echo "[command line]"
version_out=$(in_env "$launcher" --version 2>&1) || true
expected=$(basename "$installer" | sed -n 's/^squeeze-assistant-\(.*\)-linux-[^-]*\.run$/\1/p')
if [ -n "$expected" ] && [ "$version_out" = "assistant $expected" ]; then
    pass "assistant --version: $version_out"
else
    fail "assistant --version said '$version_out' (expected 'assistant $expected')"
fi

self_rc=0
in_env "$launcher" --self-test >"$scratch/self-test.log" 2>&1 || self_rc=$?
sed 's/^/        /' "$scratch/self-test.log"
if [ "$self_rc" = 0 ]; then
    pass "assistant --self-test: every check passed"
else
    failed=$(grep -c '^FAIL' "$scratch/self-test.log" || true)
    fail "assistant --self-test: $failed checks failed (exit $self_rc)"
fi

# --- 3. cold start to first result ---------------------------------------------------------------
echo "[cold start to first result: new process, 'assistant sentiment TEXT', 5 runs]"
text="The battery lasts all day and the screen is gorgeous."
times=()
for i in 1 2 3 4 5; do
    t0=$(now)
    if out=$(in_env "$launcher" sentiment "$text" 2>&1); then
        times+=("$(elapsed "$t0" "$(now)")")
        [ "$i" = 1 ] && pass "first result: $out"
    else
        [ "$i" = 1 ] && note "no sentiment result ($out)"
        break
    fi
done
if [ ${#times[@]} = 5 ]; then
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
    printf '  cold start to first result: median %s s (runs: %s; the first run after install is %s s)\n' \
        "$median" "${times[*]}" "${times[0]}"
    version_times=()
    for i in 1 2 3; do
        t0=$(now); in_env "$launcher" --version >/dev/null; version_times+=("$(elapsed "$t0" "$(now)")")
    done
    printf '  process start alone (assistant --version): median %s s\n' \
        "$(printf '%s\n' "${version_times[@]}" | sort -n | sed -n 2p)"
fi

# --- 4. the window, offscreen --------------------------------------------------------------------
echo "[GUI offscreen]"
logdir="$home/.local/state/squeeze-assistant/log"
gui_env=("${run_env[@]}" "QT_QPA_PLATFORM=offscreen")
smoke_rc=0
"${gui_env[@]}" "$launcher" --gui-smoke >"$scratch/gui-smoke.log" 2>&1 || smoke_rc=$?
if [ "$smoke_rc" = 0 ]; then
    pass "assistant --gui-smoke: $(tail -1 "$scratch/gui-smoke.log")"
elif grep -q "unrecognized arguments: --gui-smoke\|invalid choice: '--gui-smoke'" "$scratch/gui-smoke.log"; then
    # No self-check flag in this version: start the window and watch it for a while.
    t0=$(now)
    "${gui_env[@]}" "$launcher" >"$scratch/gui.log" 2>&1 &
    gui_pid=$!
    up=""
    for _ in $(seq 1 120); do
        if ! kill -0 "$gui_pid" 2>/dev/null; then break; fi
        if grep -qs "Starting" "$logdir"/*; then up=$(elapsed "$t0" "$(now)"); break; fi
        sleep 0.25
    done
    sleep 3 # the window is built and shown after the log line; give it time to fail, if it will
    if [ -n "$up" ] && kill -0 "$gui_pid" 2>/dev/null; then
        pass "window up (log line after $up s) and still running 3 s later"
        kill -TERM "$gui_pid" 2>/dev/null || true
        wait "$gui_pid" 2>/dev/null || true
    else
        gui_rc=0
        wait "$gui_pid" 2>/dev/null || gui_rc=$?
        fail "the window did not come up (exit $gui_rc); output:"
        sed 's/^/        /' "$scratch/gui.log"
    fi
    if grep -qsE "Traceback|CRITICAL|ERROR" "$logdir"/* "$scratch/gui.log"; then
        fail "errors in the GUI log:"
        grep -hE -A3 "Traceback|CRITICAL|ERROR" "$logdir"/* "$scratch/gui.log" | sed 's/^/        /'
    else
        pass "no error in the GUI log"
    fi
else
    fail "assistant --gui-smoke exited with $smoke_rc:"
    sed 's/^/        /' "$scratch/gui-smoke.log"
fi

# --- 5. uninstall (keep data), then install elsewhere and purge ----------------------------------
echo "[uninstall --yes: the program goes, the user's data stays]"
in_env "$appdir/uninstall.sh" --yes >"$scratch/uninstall.log" 2>&1 || fail "uninstall.sh --yes exited with $?"
left=$(cd "$home" && find . -mindepth 1 \( -type f -o -type l \) | sort)
unexpected=$(printf '%s\n' "$left" | grep -v -E '^\./\.local/share/squeeze-assistant/history\.sqlite3(-wal|-shm|-journal)?$|^\./\.local/state/squeeze-assistant/|^\./\.config/Squeeze Assistant/' | grep . || true)
if [ -z "$unexpected" ]; then
    pass "only user data left: $(printf '%s' "$left" | tr '\n' ' ')"
else
    fail "left behind besides user data:"
    printf '%s\n' "$unexpected" | sed 's/^/        /'
fi

echo "[install --prefix, then uninstall --yes --purge: nothing left]"
rm -rf "$scratch/tmp" && mkdir "$scratch/tmp"
prefix="$scratch/opt/sa"
if in_env sh "$installer" --quiet -- --prefix "$prefix" --quiet >"$scratch/install2.log" 2>&1 &&
    [ -x "$prefix/share/squeeze-assistant/app/assistant" ] && [ -x "$prefix/bin/assistant" ]; then
    pass "installed under --prefix ${prefix#"$scratch"/}"
    if out=$(in_env "$prefix/bin/assistant" --version 2>&1); then
        pass "prefix copy runs: $out"
    else
        fail "prefix copy: $out"
    fi
    icon=$(sed -n 's/^Icon=//p' "$prefix/share/applications/squeeze-assistant.desktop")
    if [ -f "$icon" ]; then
        pass "desktop entry outside XDG dirs uses the icon's full path"
    else
        fail "desktop entry icon '$icon' is not a file"
    fi
else
    fail "install with --prefix:"
    sed 's/^/        /' "$scratch/install2.log"
fi
in_env "$prefix/share/squeeze-assistant/app/uninstall.sh" --yes --purge >"$scratch/uninstall2.log" 2>&1 ||
    fail "uninstall.sh --yes --purge exited with $?"
after=$(snapshot)
if [ "$after" = "$before" ]; then
    pass "nothing left: scratch HOME, prefix and TMPDIR are as they were before the first install"
else
    fail "left behind (diff before/after):"
    diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed 's/^/        /' || true
fi

echo
if [ "$failures" = 0 ]; then
    echo "smoke: PASSED"
else
    echo "smoke: FAILED ($failures)"
    exit 1
fi
