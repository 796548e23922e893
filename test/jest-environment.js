// onnxruntime-node's native binding creates typed arrays in Node's own realm, and onnxruntime-common checks them with
// `instanceof Float32Array` in Jest's sandbox realm, where the constructors differ. Share Node's constructors so the
// real model runs under Jest exactly as it runs in the service.
const { TestEnvironment } = require('jest-environment-node');

const shared = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of shared) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArraysEnvironment;
