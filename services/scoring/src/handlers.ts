import { unary, type ScoringServiceHandlers } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError, NotFoundError } from '@dmp/runtime';
import type { Model } from '@dmp/scorer';

/** Most rows one Score call may carry. */
export const MAX_ROWS = 10_000;

export interface ScoringDeps {
  tenants: TenantDirectory;
  model: Model;
}

export function scoringHandlers({ tenants, model }: ScoringDeps): ScoringServiceHandlers {
  return {
    Score: unary(async (request) => {
      tenants.require(request.tenantId);
      if (request.modelName === '') throw new InvalidArgumentError('model_name', 'is required');
      if (request.modelName !== model.name)
        throw new NotFoundError(`model_name: model "${request.modelName.slice(0, 100)}" not found`);
      const { rows } = request;
      if (rows.length === 0) throw new InvalidArgumentError('rows', 'must not be empty');
      if (rows.length > MAX_ROWS)
        throw new InvalidArgumentError('rows', `holds ${rows.length} rows; at most ${MAX_ROWS}`);

      // One flat tensor for all rows: one ONNX run per request.
      const input = new Float32Array(rows.length * model.width);
      rows.forEach((row, i) => {
        if (row.values.length !== model.width) {
          throw new InvalidArgumentError(
            `rows[${i}].values`,
            `must hold ${model.width} values (${model.metadata.featureNames.join(', ')}), got ${row.values.length}`
          );
        }
        row.values.forEach((value, j) => {
          if (!Number.isFinite(value))
            throw new InvalidArgumentError(`rows[${i}].values[${j}]`, 'must be a finite number');
          input[i * model.width + j] = value;
        });
      });
      const scores = await model.score(input);
      return { scores: Array.from(scores), modelName: model.name, modelVersion: model.version };
    }),
  };
}
