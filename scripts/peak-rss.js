// This process's peak resident memory in MiB. Linux's getrusage maxRSS survives execve, so a
// child spawned by a large parent (the benchmark, with aws-cdk-lib loaded) would report the
// parent's; /proc's VmHWM belongs to the process's own address space and starts afresh.
const { readFileSync } = require('node:fs');

module.exports.peakRssMiB = function peakRssMiB() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: getrusage is the process's own there
  }
  return process.resourceUsage().maxRSS / 1024;
};
