// What the shipped JS uses that TypeScript's DOM library does not declare, for
// tsconfig.js.json only (nothing here ships).

/** Workers have it (the hashing worker reads slices with it); the DOM library lacks it. */
declare class FileReaderSync {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}

interface Window {
  /** Set by the extension's content script so that a second injection does nothing. */
  __lawRecordChecklistExtension?: boolean;
}
