#!/usr/bin/env bash
# Everything we want to know from a real GPU (Linux x86-64, NVIDIA, Vulkan) in one call, for a session that is
# lent a device machine (/work/.library/device/README.md). That machine has no Node and no network, so
# everything travels in .gpu/ (ignored by git, about 50 MB):
#
#   here:    bash bench/gpu-device.sh prepare        # node binary, bundled benchmark, dawn.node, Vulkan loader .deb
#   device:  run(command="bash bench/gpu-device.sh run", carry=[".gpu"], timeout_s=600)
#
# bench/gpuDevice.ts says what it measures: the device calls per training step, training throughput at S = 1,
# 8, 40 for both tasks (quick and paper), a 200-step run with checkpoints through TrainingSession, the projected
# wall time of the paper's modular addition (40 seeds × 10,000 epochs) and the metrics benchmark; tables on
# stdout, JSON in $OUT. It keeps to GPU_BUDGET_S (default 420 s; the machine's start comes on top) and fails
# with the reason, exit 1, when no GPU is usable (no adapter, a software one, a lost device).
#
# Dry run without a GPU (SwiftShader, every size shrunk), to check the script itself:
#   bash bench/gpu-device.sh prepare && GPU_DEVICE_TINY=1 GPU_ALLOW_SOFTWARE=1 OUT=/tmp/gpu bash bench/gpu-device.sh run
# (GPU_DEVICE_PARTS=session,projection picks parts: on a loaded CPU the whole dry run outlasts GPU_BUDGET_S.)
set -euo pipefail
cd "$(dirname "$0")/.."
G=.gpu

prepare() {
  rm -rf "$G" && mkdir -p "$G/node_modules/webgpu/dist/linux-x64" "$G/debs"
  # Node itself, compressed to stay inside the 64 MiB a call may carry.
  gzip -9 -c "$(command -v node)" > "$G/node.gz"
  # One ESM file; CommonJS parts of tfjs call require(), which an ESM bundle must be given.
  node -e "
    require('esbuild').build({
      entryPoints: ['bench/gpuDevice.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20',
      outfile: '$G/bench.mjs', external: ['webgpu'], logLevel: 'warning',
      banner: { js: \"import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);\" },
    }).catch(() => process.exit(1));"
  # dawn.node and the webgpu package's loader, where the bundle's import('webgpu') finds them.
  cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$G/node_modules/webgpu/"
  gzip -9 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$G/dawn.node.gz"
  # The Vulkan loader, in case the machine lacks it (the NVIDIA driver brings its own ICD).
  (cd "$G/debs" && apt-get -o APT::Architecture=amd64 download libvulkan1 >/dev/null 2>&1) ||
    echo "could not download libvulkan1 (apt-get download): the run will rely on the machine's own loader"
  du -sh "$G"
}

run() {
  [ -f "$G/bench.mjs" ] || { echo "no $G/bench.mjs: run 'bash bench/gpu-device.sh prepare' first and carry .gpu"; exit 2; }
  gunzip -c "$G/node.gz" > /tmp/node && chmod +x /tmp/node
  gunzip -c "$G/dawn.node.gz" > "$G/node_modules/webgpu/dist/linux-x64/dawn.node"
  if ! ldconfig -p | grep -q libvulkan.so.1; then
    for f in "$G"/debs/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done
    ldconfig
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; fi
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv ||
    echo "nvidia-smi is not here or found no GPU (the run says whether WebGPU sees one)"
  /tmp/node --version
  OUT="${OUT:-bench/results}" /tmp/node "$G/bench.mjs"
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: bash bench/gpu-device.sh prepare|run"; exit 2 ;;
esac
