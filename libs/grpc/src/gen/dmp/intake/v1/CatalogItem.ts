// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface CatalogItem {
  itemId?: string;
  category?: string;
  brand?: string;
  price?: number | string;
  currency?: string;
  available?: boolean;
  stock?: number | string | Long;
  createdAt?: _google_protobuf_Timestamp | null;
  seriesId?: string;
  season?: number;
  episode?: number;
  durationS?: number | string;
  updatedAt?: _google_protobuf_Timestamp | null;
  _price?: 'price';
  _available?: 'available';
  _stock?: 'stock';
  _season?: 'season';
  _episode?: 'episode';
  _durationS?: 'durationS';
}

export interface CatalogItem__Output {
  itemId: string;
  category: string;
  brand: string;
  price?: number;
  currency: string;
  available?: boolean;
  stock?: string;
  createdAt: _google_protobuf_Timestamp__Output | null;
  seriesId: string;
  season?: number;
  episode?: number;
  durationS?: number;
  updatedAt: _google_protobuf_Timestamp__Output | null;
  _price?: 'price';
  _available?: 'available';
  _stock?: 'stock';
  _season?: 'season';
  _episode?: 'episode';
  _durationS?: 'durationS';
}
