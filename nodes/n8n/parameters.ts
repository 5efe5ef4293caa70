/** Reads one item's raw parameter values from n8n, undoing the layout chosen in properties.ts. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { parametersFor, type OperationDefinition } from '../core/catalogue/types';
import { binaryPropertyName, binarySwitchName, OPTIONS_COLLECTION, unwrapLocator } from './properties';

export async function readParameters(
  context: IExecuteFunctions,
  operation: OperationDefinition,
  itemIndex: number,
): Promise<Record<string, unknown>> {
  const raw: Record<string, unknown> = {};
  const hasAdvanced = parametersFor(operation, 'n8n').some((parameter) => parameter.advanced && !parameter.group && parameter.kind !== 'data');
  const options = hasAdvanced ? (context.getNodeParameter(OPTIONS_COLLECTION, itemIndex, {}) as IDataObject) : {};
  const groups = new Map<string, IDataObject>();
  const groupValues = (name: string): IDataObject => {
    let values = groups.get(name);
    if (!values) {
      // A hidden collection is absent from the node: its fields then take their defaults.
      values = (context.getNodeParameter(name, itemIndex, {}) as IDataObject | null) ?? {};
      groups.set(name, values);
    }
    return values;
  };
  for (const parameter of parametersFor(operation, 'n8n')) {
    if (parameter.kind === 'data') {
      const fromBinary = context.getNodeParameter(binarySwitchName(parameter), itemIndex, parameter.binaryByDefault === true) as boolean;
      if (fromBinary) {
        const property = context.getNodeParameter(binaryPropertyName(parameter), itemIndex) as string;
        context.helpers.assertBinaryData(itemIndex, property);
        raw[parameter.name] = await context.helpers.getBinaryDataBuffer(itemIndex, property);
      } else {
        raw[parameter.name] = context.getNodeParameter(parameter.name, itemIndex, '');
      }
    } else if (parameter.group) {
      raw[parameter.name] = groupValues(parameter.group.name)[parameter.name];
    } else if (parameter.advanced) {
      raw[parameter.name] = unwrapLocator(options[parameter.name]);
    } else {
      // Hidden parameters are absent from the node; null (treated as "not set") instead of a throw.
      raw[parameter.name] = unwrapLocator(context.getNodeParameter(parameter.name, itemIndex, null));
    }
  }
  return raw;
}
