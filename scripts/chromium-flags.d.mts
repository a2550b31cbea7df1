/** Flags for every headless Chromium the project starts; see chromium-flags.mjs. */
export declare const CHROMIUM_FLAGS: readonly string[];
