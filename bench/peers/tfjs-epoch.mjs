// The same recipe in TensorFlow.js (manual SGD on variables), on its wasm or cpu backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { args, mnist, report } from './common.mjs';

const a = args();
await tf.setBackend(a.backend ?? 'wasm');
await tf.ready();
const epochs = Number(a.epochs ?? 3);
const images = Number(a.images ?? 60000);
const d = mnist();
const toFloat = (bytes, n) => Float32Array.from(bytes.subarray(0, n * 784), (v) => v / 255);
const Xtr = toFloat(d.trainX, 60000);
const Xte = tf.tensor2d(toFloat(d.testX, 10000), [10000, 784]);
const yte = Int32Array.from(d.testY);
const W1 = tf.variable(tf.randomNormal([784, 256]).mul(0.01));
const b1 = tf.variable(tf.zeros([256]));
const W2 = tf.variable(tf.randomNormal([256, 10]).mul(0.01));
const b2 = tf.variable(tf.zeros([10]));
const net = (x) => tf.softmax(tf.relu(x.matMul(W1).add(b1)).matMul(W2).add(b2));
const epochSeconds = [];
const testSeconds = [];
let accuracy = 0;
for (let e = 0; e <= epochs; e++) {
  const order = tf.util.createShuffledIndices(60000);
  const started = performance.now();
  for (let s = 0; s < images; s += 128) {
    const n = Math.min(128, images - s);
    const xb = new Float32Array(n * 784);
    const yb = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = order[s + i];
      xb.set(Xtr.subarray(j * 784, (j + 1) * 784), i * 784);
      yb[i] = d.trainY[j];
    }
    tf.tidy(() => {
      const x = tf.tensor2d(xb, [n, 784]);
      const onehot = tf.oneHot(tf.tensor1d(yb, 'int32'), 10);
      const { grads } = tf.variableGrads(() => tf.neg(tf.mean(tf.log(tf.sum(net(x).mul(onehot), 1).add(1e-12)))));
      for (const v of [W1, b1, W2, b2]) v.assign(v.sub(grads[v.name].mul(0.1)));
    });
  }
  const seconds = ((performance.now() - started) / 1000) * (60000 / images);
  const t = performance.now();
  const pred = tf.tidy(() => net(Xte).argMax(1).dataSync());
  accuracy = pred.reduce((s, p, i) => s + (p === yte[i] ? 1 : 0), 0) / 10000;
  if (e > 0) {
    epochSeconds.push(seconds);
    testSeconds.push((performance.now() - t) / 1000);
  }
}
report(`TensorFlow.js ${tf.version.tfjs} (${tf.getBackend()})`, epochSeconds, testSeconds, accuracy, images < 60000 ? { note: `rate measured on ${images} images per epoch` } : {});
