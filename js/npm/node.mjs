// Node, `import`: the CommonJS build, so ESM and CJS importers share one instance.
import api from "./node.cjs";

export const { Normalizer, transform, transformJson, transformBatch } = api;
