#!/usr/bin/env python3
"""Moves the shared libraries out of the native jars into the app-image (Linux), run by `-Pinstaller`:

    python3 installer/src/jpackage/linux/unpack_natives.py installer/target/input

For each rule below, every jar in INPUT matching the jar pattern loses its entries matching the entry pattern;
the shared libraries among them are written flat to INPUT/native/<folder>/ (jpackage copies INPUT to the
image's lib/app/, so they land in lib/app/native/<folder>/) and stripped of debugging symbols
(`strip --strip-unneeded`; the dynamic symbol tables stay). Everything else in the jars stays: classes and the
version files DJL reads (native/lib/*.properties). The launcher's java-options (linux/app-image.args) point
each library at its folder; docs/decisions/0007-natives-inside-the-image.md says how each one is found.
Prints one line per folder and fails if a rule matched no jar or no library (a renamed artifact or layout).
"""
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import zipfile

RULES = [  # (jar file pattern, entry pattern, folder)
    ("pytorch-native-cpu-*-linux-x86_64.jar", "pytorch/cpu/linux-x86_64/*", "pytorch"),
    ("pytorch-jni-*.jar", "jnilib/linux-x86_64/cpu/*", "pytorch"),
    ("tokenizers-*.jar", "native/lib/linux-x86_64/cpu/*", "tokenizers"),
    ("onnxruntime-[0-9]*.jar", "ai/onnxruntime/native/linux-x64/*", "onnxruntime"),
    ("javacpp-*-linux-x86_64.jar", "org/bytedeco/*/linux-x86_64*/*", "javacpp"),
    ("ffmpeg-*-linux-x86_64*.jar", "org/bytedeco/*/linux-x86_64*/*", "javacpp"),
    ("opencv-*-linux-x86_64.jar", "org/bytedeco/*/linux-x86_64*/*", "javacpp"),
    ("openblas-*-linux-x86_64.jar", "org/bytedeco/*/linux-x86_64*/*", "javacpp"),
]
SHARED_LIBRARY = re.compile(r"^lib[^/]*\.so(\.[0-9]+)*$")
# Names JavaCPP creates in its cache when it unpacks from the jars, and that a library in the image needs to
# find next to it: libjniopenblas_nolapack.so needs libopenblas_nolapack.so.0, which the OpenBLAS jar ships as
# libopenblas.so.0 (without this link, `eval` fails to load OpenCV's OpenBLAS).
ALIASES = {"javacpp": {"libopenblas_nolapack.so.0": "libopenblas.so.0"}}
# OpenCV's Python module (cv2.cpython-*.so) is never loaded by Java: dropped with the headers and CMake files.


def rewrite_without(jar, drop):
    tmp = jar + ".tmp"
    with zipfile.ZipFile(jar) as src, zipfile.ZipFile(tmp, "w") as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info, src.read(info.filename), compress_type=info.compress_type)
    os.replace(tmp, jar)


def main(input_dir):
    strip = shutil.which("strip")
    folders = {}
    for jar_pattern, entry_pattern, folder in RULES:
        jars = sorted(f for f in os.listdir(input_dir) if fnmatch.fnmatch(f, jar_pattern))
        if not jars:
            sys.exit(f"unpack_natives: no jar matches {jar_pattern} in {input_dir}")
        out = os.path.join(input_dir, "native", folder)
        os.makedirs(out, exist_ok=True)
        for name in jars:
            jar = os.path.join(input_dir, name)
            with zipfile.ZipFile(jar) as z:
                drop = {e for e in z.namelist() if fnmatch.fnmatch(e, entry_pattern) and not e.endswith("/")}
                libraries = [e for e in drop if SHARED_LIBRARY.match(os.path.basename(e))]
                if not libraries:
                    sys.exit(f"unpack_natives: {name} has no shared library under {entry_pattern}")
                for entry in libraries:
                    target = os.path.join(out, os.path.basename(entry))
                    with z.open(entry) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    if strip:
                        subprocess.run([strip, "--strip-unneeded", target], check=True)
                    folders.setdefault(folder, []).append(target)
            rewrite_without(jar, drop)
    for folder, links in ALIASES.items():
        for name, target in links.items():
            link = os.path.join(input_dir, "native", folder, name)
            if not os.path.exists(os.path.join(input_dir, "native", folder, target)):
                sys.exit(f"unpack_natives: native/{folder}/{target} is missing (the target of {name})")
            if not os.path.lexists(link):
                os.symlink(target, link)
    for folder, files in folders.items():
        size = sum(os.path.getsize(f) for f in files)
        print(f"unpack_natives: native/{folder}: {len(files)} libraries, {size / 1048576:.1f} MiB"
              f"{'' if strip else ' (not stripped: no strip on PATH)'}")


if __name__ == "__main__":
    main(sys.argv[1])
