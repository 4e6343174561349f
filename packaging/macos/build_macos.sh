#!/usr/bin/env bash
# Squeeze Assistant for macOS: dist/Squeeze Assistant.app and dist/squeeze-assistant-<v>-macos-<arch>.dmg
#
#   packaging/macos/build_macos.sh        (from the repository root, with the app's Python active:
#                                          pip install -e ".[package]")
#
# 1. makes build/icons/squeeze-assistant.icns from packaging/icons/squeeze-assistant-512.png
#    (sips + iconutil, both part of macOS);
# 2. runs packaging/build.py: PyInstaller onedir + .app bundle (packaging/app.spec), checks, and
#    the .dmg (hdiutil) with the app and an Applications link to drag it onto;
# 3. checks the bundled command line: --version and --self-test.
# The app is ad-hoc signed by PyInstaller only; it is not notarized, so Gatekeeper asks the user to
# confirm the first start (right-click > Open). Signing/notarizing needs a Developer ID.
#
# NOT built or tested on the Linux machine this project is developed on: it runs on the macOS
# runners of .github/workflows/package.yml.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}

iconset=build/icons/squeeze-assistant.iconset
rm -rf "$iconset" && mkdir -p "$iconset"
for size in 16 32 128 256 512; do
    sips -z "$size" "$size" packaging/icons/squeeze-assistant-512.png \
        --out "$iconset/icon_${size}x${size}.png" >/dev/null
    double=$((size * 2))
    if [ "$double" -le 512 ]; then
        sips -z "$double" "$double" packaging/icons/squeeze-assistant-512.png \
            --out "$iconset/icon_${size}x${size}@2x.png" >/dev/null
    fi
done
cp packaging/icons/squeeze-assistant-512.png "$iconset/icon_256x256@2x.png"
cp packaging/icons/squeeze-assistant-512.png "$iconset/icon_512x512.png"
iconutil -c icns "$iconset" -o build/icons/squeeze-assistant.icns

"$PYTHON" packaging/build.py

app="dist/Squeeze Assistant.app"
"$app/Contents/MacOS/assistant" --version
"$app/Contents/MacOS/assistant" --self-test
ls -lh dist/*.dmg
