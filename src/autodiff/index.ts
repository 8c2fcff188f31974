export { GraphBuilder, DomainError, definition, formatConstant, type Graph, type GraphNode, type Operand } from './graph.js';
export { parse, parseInto, ParseError } from './parse.js';
export { evaluate, forward, reverse, localPartials, outputValue, type Point, type ForwardResult, type ReverseResult } from './modes.js';
export { traceRows, traceTable, traceLatex, graphDot, short, type TraceRow, type Mode } from './trace.js';
export { finiteDifference, checkDerivative, type DerivativeCheck } from './check.js';
export { autodiffReport, parseAssignments, parseClaim, type AutodiffReport, type AutodiffRequest } from './report.js';
export { backprop, closedForm, meanLoss, randomParams, validateParams, type MlpParams, type MlpGradients, type BackpropResult } from './backprop.js';
export { RULES, FUNCTIONS, type PrimitiveName, type Rule } from './primitives/index.js';
