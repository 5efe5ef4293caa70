/**
 * `defineOperation`: the typed way to write an operation. From the definition's literal
 * parameters, outputs, session and context modes it derives what `execute` receives and may return, so
 * tsc catches a renamed parameter, a result field missing from `outputs[]`, or a session read
 * in a session-less operation. Types only: at run time `defineOperation` returns its argument.
 */
import type {
  OperationContext,
  OperationDefinition,
  OperationOutput,
  OutputField,
  ParameterDefinition,
  ContextMode,
  SessionMode,
} from './types';

/** Flattens an intersection for readable hover text and error messages. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type SchemaTypeName<T> = T extends 'string'
  ? string
  : T extends 'integer' | 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? unknown[]
          : T extends 'object'
            ? Record<string, unknown>
            : unknown;

type RequiredKeys<S> = S extends { required: readonly (infer Name)[] } ? Name & string : never;

type SchemaObject<Properties, S> = Simplify<
  { [K in keyof Properties & RequiredKeys<S>]: SchemaValue<Properties[K]> } & {
    [K in Exclude<keyof Properties, RequiredKeys<S>>]?: SchemaValue<Properties[K]>;
  }
>;

/**
 * The value a JSON Schema (written `as const`-literal, as in the definitions) accepts — the
 * subset the catalogue uses: type (or a list of types), enum, items, properties + required,
 * additionalProperties. Anything else reads as `unknown`, never as something narrower.
 */
export type SchemaValue<S> = S extends { enum: readonly (infer Member)[] }
  ? Member
  : S extends { type: 'array'; items: infer Item }
    ? Array<SchemaValue<Item>>
    : S extends { type: 'object'; properties: infer Properties }
      ? SchemaObject<Properties, S>
      : S extends { type: 'object'; additionalProperties: infer Values extends object }
        ? Record<string, SchemaValue<Values>>
        : S extends { type: readonly (infer Names)[] }
          ? SchemaTypeName<Names>
          : S extends { type: infer Name }
            ? SchemaTypeName<Name>
            : unknown;

/** The coerced value of a parameter with no schema, by kind (see `coerce` in validation.ts). */
type KindValue<P extends ParameterDefinition> = P['kind'] extends 'string' | 'text' | 'code'
  ? string
  : P['kind'] extends 'number'
    ? number
    : P['kind'] extends 'boolean'
      ? boolean
      : P['kind'] extends 'stringMap'
        ? Record<string, string>
        : P['kind'] extends 'stringList'
          ? string[]
          : unknown;

/** A parameter's value in the input: options give their values, data is text or bytes, else the schema. */
export type ParameterInput<P extends ParameterDefinition> = P['kind'] extends 'options'
  ? P extends { options: readonly (infer Option)[] }
    ? Option extends { value: infer Value } ? Value : never
    : string
  : P['kind'] extends 'data'
    ? string | Buffer
    : P extends { schema: infer S }
      ? SchemaValue<S>
      : KindValue<P>;

/**
 * Whether `prepareInput` always sets the parameter: a required one is set or the input is refused;
 * otherwise a default that is not empty (`''`, null) fills an absent value, unless `showWhen` may
 * hide the parameter (hidden ones are dropped). A default whose literal type is lost counts as empty.
 */
type AlwaysSet<P extends ParameterDefinition> = P extends { required: true }
  ? true
  : 'showWhen' extends keyof P
    ? false
    : MayBeEmpty<P['default']> extends true
      ? false
      : true;

/** Whether a default may be `''` or null (`isAbsent`); a widened `string` or union may be. */
type MayBeEmpty<Default> = [Default] extends [null]
  ? true
  : [Default] extends [string]
    ? string extends Default
      ? true
      : Default extends ''
        ? true
        : false
    : [Default] extends [number | boolean | readonly unknown[] | { readonly [key: string]: unknown }]
      ? false
      : true;

type ParametersNamed<P extends ParameterDefinition, Set extends boolean> = P extends unknown
  ? AlwaysSet<P> extends Set
    ? P
    : never
  : never;

/** The validated input of an operation with these parameters. */
export type InputOf<Parameters extends readonly ParameterDefinition[]> = Simplify<
  { [P in ParametersNamed<Parameters[number], true> as P['name']]: ParameterInput<P> } & {
    [P in ParametersNamed<Parameters[number], false> as P['name']]?: ParameterInput<P>;
  }
>;

type OutputValue<Type extends string> = Type extends 'string'
  ? string
  : Type extends 'number'
    ? number
    : Type extends 'boolean'
      ? boolean
      : Type extends 'string[]'
        ? string[]
        : unknown;

/** Outputs of type `binary` travel as BinaryOutputs, not in `json`; they can never be required there. */
type OutputsWhere<O extends OutputField, Optional extends boolean> = O extends unknown
  ? (O extends { optional: true } | { type: 'binary' } ? true : false) extends Optional
    ? O
    : never
  : never;

/** The result object: every output that is not `optional` must be set, with its documented type. */
export type JsonOf<Outputs extends readonly OutputField[]> = Simplify<
  { [O in OutputsWhere<Outputs[number], false> as O['name']]: OutputValue<O['type']> } & {
    [O in OutputsWhere<Outputs[number], true> as O['name']]?: OutputValue<O['type']>;
  }
>;

/** Keys of `Json` that `outputs[]` does not document, each made to fail as `never`. */
type UndocumentedKeys<Json, Outputs extends readonly OutputField[]> = {
  [K in Exclude<keyof Json, Outputs[number]['name']>]: never;
};

/** An operation without its `execute`: what `describeOperation` keeps the literal types of. */
export interface OperationShape<
  Parameters extends readonly ParameterDefinition[],
  Outputs extends readonly OutputField[],
  Session extends SessionMode,
  Context extends ContextMode = 'none',
> extends Omit<OperationDefinition, 'parameters' | 'outputs' | 'session' | 'context' | 'execute'> {
  session: Session;
  context?: Context;
  parameters: Parameters;
  outputs: Outputs;
}

/** `execute` as the shape allows it: its context, its input, a result whose keys are all documented. */
export type ExecuteOf<
  Parameters extends readonly ParameterDefinition[],
  Outputs extends readonly OutputField[],
  Session extends SessionMode,
  Json extends JsonOf<Outputs>,
  Context extends ContextMode = 'none',
> = (
  context: OperationContext<Session, Context>,
  input: InputOf<Parameters>,
) => Promise<OperationOutput<Json & UndocumentedKeys<Json, Outputs>>>;

export interface OperationSpec<
  Parameters extends readonly ParameterDefinition[],
  Outputs extends readonly OutputField[],
  Session extends SessionMode,
  Json extends JsonOf<Outputs>,
  Context extends ContextMode = 'none',
> extends OperationShape<Parameters, Outputs, Session, Context> {
  execute: ExecuteOf<Parameters, Outputs, Session, Json, Context>;
}

/** The input and context types of a described operation, for an `execute` written as a separate function. */
export type InputOfShape<Shape> = Shape extends OperationShape<infer Parameters, readonly OutputField[], SessionMode, ContextMode>
  ? InputOf<Parameters>
  : never;
export type ContextOfShape<Shape> = Shape extends OperationShape<
  readonly ParameterDefinition[],
  readonly OutputField[],
  infer Session,
  infer Context
>
  ? OperationContext<Session, Context>
  : never;

/** A definition as written, with its literal types kept (type tests inspect them). */
export type TypedOperation<
  Parameters extends readonly ParameterDefinition[],
  Outputs extends readonly OutputField[],
  Session extends SessionMode,
  Json extends JsonOf<Outputs>,
  Context extends ContextMode = 'none',
> = OperationSpec<Parameters, Outputs, Session, Json, Context> & Pick<OperationDefinition, 'execute'>;

/**
 * Writes an operation with its types inferred from the definition itself. Parameters and outputs
 * must keep their literal types: write them inline, or with `defineParameter` / `as const`.
 */
export function defineOperation<
  const Parameters extends readonly ParameterDefinition[],
  const Outputs extends readonly OutputField[],
  Session extends SessionMode,
  Json extends JsonOf<Outputs>,
  Context extends ContextMode = 'none',
>(
  spec: OperationSpec<Parameters, Outputs, Session, Json, Context>,
): TypedOperation<Parameters, Outputs, Session, Json, Context> {
  return spec as TypedOperation<Parameters, Outputs, Session, Json, Context>;
}

/**
 * The two-step form, for an `execute` written as a function of its own (which cannot take its
 * types from the object it sits in): describe, type the function with `InputOfShape<typeof shape>`
 * and `ContextOfShape<typeof shape>`, then `implementOperation(shape, execute)`.
 */
export function describeOperation<
  const Parameters extends readonly ParameterDefinition[],
  const Outputs extends readonly OutputField[],
  Session extends SessionMode,
  Context extends ContextMode = 'none',
>(shape: OperationShape<Parameters, Outputs, Session, Context>): OperationShape<Parameters, Outputs, Session, Context> {
  return shape;
}

export function implementOperation<
  Parameters extends readonly ParameterDefinition[],
  Outputs extends readonly OutputField[],
  Session extends SessionMode,
  Json extends JsonOf<Outputs>,
  Context extends ContextMode = 'none',
>(
  shape: OperationShape<Parameters, Outputs, Session, Context>,
  execute: ExecuteOf<Parameters, Outputs, Session, Json, Context>,
): TypedOperation<Parameters, Outputs, Session, Json, Context> {
  return defineOperation<Parameters, Outputs, Session, Json, Context>({ ...shape, execute });
}

/** Keeps a shared parameter's literal name, kind, default and schema for `defineOperation`. */
export function defineParameter<const P extends ParameterDefinition>(parameter: P): P {
  return parameter;
}

/** Same for a shared output field. */
export function defineOutput<const O extends OutputField>(output: O): O {
  return output;
}
