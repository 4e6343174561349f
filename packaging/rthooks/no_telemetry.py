# PyInstaller runtime hook: runs in the frozen app before any of its own code.
#
# onnxruntime (1.2x+ on Linux and macOS too) starts Microsoft's 1DS telemetry when it is imported:
# it writes ~/.cache/Microsoft/DeveloperTools/.onnxruntime/{deviceid,onnxruntime.db} and
# $TMPDIR/.ses and may upload to mobile.events.data.microsoft.com. The app promises it opens no
# network connection and writes nothing outside its own folders, so telemetry is switched off
# before onnxruntime can be imported. (ORT_DISABLE_TELEMETRY is read at import; calling
# onnxruntime.disable_telemetry_events() afterwards is too late for the files.)
import os

os.environ["ORT_DISABLE_TELEMETRY"] = "1"
