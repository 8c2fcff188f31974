/**
 * Reverse-mode autodiff over tensors. Ops record a GradNode on their output while gradients are
 * wanted (some input requires one and no `noGrad` scope is active); `backward` sorts the nodes
 * topologically, seeds 1, walks them in reverse, accumulates each input's gradient, and checks
 * every gradient's shape against its tensor with a message naming the op. Leaves that require a
 * gradient (parameters) keep it in `.grad`, accumulated in place: after the first step no new
 * gradient buffers are made.
 */
import { ArgumentError } from '../errors.js';
import { setBackwardHook, Tensor, type BackwardOptions, type GradNode, type GradTarget } from './tensor.js';

let gradEnabled = true;

/** Runs `fn` without recording ops (evaluation, parameter updates). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Attaches `node` to `out` when any input wants a gradient and recording is on. */
export function record(out: Tensor, op: string, inputs: Tensor[], vjp: GradNode['vjp']): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, inputs, vjp };
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Back-propagates from `root` (a one-element tensor, seeded with 1); with `options.sgd`, updates
 * the parameters instead of accumulating their gradients (see BackwardOptions).
 */
export function backward(root: Tensor, options?: BackwardOptions): void {
  const lr = options?.sgd?.lr;
  if (lr !== undefined && !Number.isFinite(lr)) throw new ArgumentError('backward', `sgd.lr ${lr}`, 'must be a finite number');
  if (root.size !== 1) throw new ArgumentError('backward', `shape [${root.shape.join(', ')}]`, 'needs a tensor with one element (a loss)');
  if (!root.requiresGrad) throw new ArgumentError('backward', 'a tensor without a graph', 'needs a tensor computed from tensors that require gradients');
  // Topological order by an iterative depth-first walk.
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: Array<{ t: Tensor; next: number }> = [{ t: root, next: 0 }];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.t.node?.inputs ?? [];
    if (top.next < inputs.length) {
      const input = inputs[top.next++]!;
      if (input.requiresGrad && !seen.has(input)) {
        seen.add(input);
        stack.push({ t: input, next: 0 });
      }
      continue;
    }
    order.push(top.t);
    stack.pop();
  }
  // How many times each tensor is an input of the graph's ops: a parameter used once may have its
  // gradient added straight into its .grad by that op (GradNode.vjp's `into`).
  const uses = new Map<Tensor, number>();
  for (const t of order) for (const input of t.node?.inputs ?? []) uses.set(input, (uses.get(input) ?? 0) + 1);
  const grads = new Map<Tensor, Tensor>();
  // Gradients may alias tensors a VJP passed through (add returns its input gradient as is);
  // only sums made here are ours to add into in place.
  const owned = new Set<Tensor>();
  const seed = new Tensor(root.backend.alloc(1, root.dtype), root.shape, root.backend);
  seed.data[0] = 1;
  grads.set(root, seed);
  gradEnabled = false;
  try {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (!g) continue;
      if (!t.node) {
        if (lr === undefined) accumulateLeaf(t, g);
        else t.backend.axpy(-lr, g.data, t.data);
        continue;
      }
      const inputs = t.node.inputs;
      // A parameter used once may take its gradient in place: into its .grad, or with fused SGD
      // into itself, when no other input of the op wants a gradient (which might read it).
      const into = inputs.map((input): GradTarget | null => {
        if (input.node || !input.requiresGrad || uses.get(input) !== 1) return null;
        if (lr === undefined) return input.grad ? { tensor: input.grad, alpha: 1 } : null;
        return inputs.every((other) => other === input || !other.requiresGrad) ? { tensor: input, alpha: -lr } : null;
      });
      const inputGrads = t.node.vjp(g, into);
      t.node.inputs.forEach((input, j) => {
        const gi = inputGrads[j];
        if (!input.requiresGrad || gi === null || gi === undefined) return;
        // Added into the parameter's gradient (or the parameter) already.
        if (gi === into[j]?.tensor) return;
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(`backward of ${t.node!.op}: gradient of input ${j} has shape [${gi.shape.join(', ')}], expected [${input.shape.join(', ')}]`);
        }
        const previous = grads.get(input);
        if (!previous) grads.set(input, gi);
        else if (owned.has(previous)) previous.backend.axpy(1, gi.data, previous.data);
        else {
          const sum = addFresh(previous, gi);
          owned.add(sum);
          grads.set(input, sum);
        }
      });
      grads.delete(t);
    }
  } finally {
    gradEnabled = true;
  }
}

function addFresh(a: Tensor, b: Tensor): Tensor {
  const out = new Tensor(a.backend.alloc(a.size, a.dtype), a.shape, a.backend);
  out.data.set(a.data);
  out.backend.axpy(1, b.data, out.data);
  return out;
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  if (leaf.grad === null) {
    // A parameter's gradient outlives the step's scope (it is read and zeroed by the optimiser).
    leaf.grad = new Tensor(leaf.backend.alloc(leaf.size, leaf.dtype, { persistent: true }), leaf.shape, leaf.backend);
  }
  leaf.backend.axpy(1, g.data, leaf.grad.data);
}

/** Sets the gradients of `params` to zero, in place. */
export function zeroGrad(params: Iterable<Tensor>): void {
  for (const p of params) if (p.grad) p.backend.fill(p.grad.data, 0);
}

setBackwardHook(backward);
