// The timed loop shared by the Node and browser bayesprop peers (no Node imports: the browser
// page loads it too): a warm-up epoch, then `epochs` timed epochs of the assignment's recipe,
// each followed by a timed pass over the test set.
export function timeEpochs({ train, evaluate }, model, trainSet, testSet, epochs) {
  const tiny = { ...testSet, count: 1, images: testSet.images.subarray(0, 784), labels: testSet.labels.subarray(0, 1) };
  const epochSeconds = [];
  const testSeconds = [];
  let accuracy = 0;
  for (let e = 0; e <= epochs; e++) {
    const started = performance.now();
    train(model, trainSet, tiny, { epochs: 1, batchSize: 128, lr: 0.1, seed: e, loss: 'assignment' });
    const seconds = (performance.now() - started) / 1000;
    const t = performance.now();
    accuracy = evaluate(model, testSet).accuracy;
    if (e > 0) {
      epochSeconds.push(seconds);
      testSeconds.push((performance.now() - t) / 1000);
    }
  }
  return { epochSeconds, testSeconds, accuracy };
}
