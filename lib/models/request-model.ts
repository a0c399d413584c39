/**
 * A SageMaker request's input shape tree, as data (generated from the AWS SDK's service model by
 * `npm run request-model:import`): what synth checks a pass-through of request members against,
 * without loading the SDK, which is not a dependency of the library.
 */

/** A shape: an aggregate by its name in `RequestModel.shapes`, or a simple shape given in place. */
export type ShapeRef = string | SimpleShape;

/** A string, number, boolean or other scalar, with the constraints the service model gives it. */
export interface SimpleShape {
  /** `number` when the SDK says numeric and no other model says whether it is integral. */
  readonly type: 'string' | 'integer' | 'long' | 'float' | 'double' | 'number' | 'boolean' | 'timestamp' | 'blob';
  /** The name of its values' list in `RequestModel.enums`. */
  readonly enum?: string;
  /** Least length (strings) or value (numbers). */
  readonly min?: number;
  /** Greatest length (strings) or value (numbers). */
  readonly max?: number;
  /** A pattern the whole value must match (the service's Java-style regex, checked as a JavaScript one). */
  readonly pattern?: string;
}

export interface StructureShape {
  readonly type: 'structure';
  readonly members: Readonly<Record<string, ShapeRef>>;
  readonly required?: readonly string[];
}

export interface ListShape {
  readonly type: 'list';
  readonly member: ShapeRef;
  readonly min?: number;
  readonly max?: number;
}

export interface MapShape {
  readonly type: 'map';
  readonly key: ShapeRef;
  readonly value: ShapeRef;
  readonly min?: number;
  readonly max?: number;
}

export type AggregateShape = StructureShape | ListShape | MapShape;

export interface RequestModel {
  /** The operation, e.g. `CreateTrainingJob`. */
  readonly operation: string;
  /** Where the model came from: the SDK package and version, and the model the constraints came from. */
  readonly sources: Readonly<Record<string, string>>;
  /** The request's own shape, by name in `shapes`. */
  readonly input: string;
  readonly shapes: Readonly<Record<string, AggregateShape>>;
  readonly enums: Readonly<Record<string, readonly string[]>>;
}
