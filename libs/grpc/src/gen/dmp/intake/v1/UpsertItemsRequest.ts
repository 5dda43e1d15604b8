// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  CatalogItem as _dmp_intake_v1_CatalogItem,
  CatalogItem__Output as _dmp_intake_v1_CatalogItem__Output,
} from '../../../dmp/intake/v1/CatalogItem';

export interface UpsertItemsRequest {
  tenantId?: string;
  items?: _dmp_intake_v1_CatalogItem[];
}

export interface UpsertItemsRequest__Output {
  tenantId: string;
  items: _dmp_intake_v1_CatalogItem__Output[];
}
