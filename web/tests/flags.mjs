// Chromium flags that work headless as root on this network (see ../shared/TOOLCHAIN.md).
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
