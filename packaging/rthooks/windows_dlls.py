# PyInstaller runtime hook: on Windows, let onnxruntime's and Qt's DLLs find each other and the
# bundled VC++ runtime (as Buzz does; onnxruntime#25193 is a DLL load failure in a frozen Qt app).
# A no-op on Linux and macOS.
import os
import sys

if sys.platform == "win32" and hasattr(os, "add_dll_directory"):
    _root = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
    for _folder in (_root, os.path.join(_root, "onnxruntime", "capi")):
        if os.path.isdir(_folder):
            os.add_dll_directory(_folder)
