#!/usr/bin/env node
// Runs before `npm test` (npm's pretest hook): makes a clean clone testable with the one command.
// Installs the locked dependencies when they are missing, and Debian's chromium (SwiftShader, the WebGPU
// software adapter the tests use) and libvulkan1 (the Vulkan loader Dawn opens) when they are missing
// and we are root on a Debian machine.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd) => {
  console.log(`[prepare-tests] ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
};

const lock = 'package-lock.json';
const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) run('npm ci --no-audit --no-fund');

const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const loader = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
];
// The browser tests launch /usr/bin/chromium itself (playwright-core, never a downloaded browser).
if (!existsSync(icd) || !existsSync('/usr/bin/chromium') || !loader.some(existsSync)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    run('apt-get update -qq');
    run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libvulkan1');
  } else {
    console.warn(
      `[prepare-tests] chromium or libvulkan1 is missing and cannot be installed here (needs root and apt-get); WebGPU and browser tests will fail. Install Debian's chromium and libvulkan1.`,
    );
  }
}
