// Original file: ../../protos/dmp/intake/v1/intake_service.proto

export interface EventType {
  tenantId?: string;
  name?: string;
  description?: string;
  propertiesSchemaJson?: string;
  requiresItems?: boolean;
  builtIn?: boolean;
}

export interface EventType__Output {
  tenantId: string;
  name: string;
  description: string;
  propertiesSchemaJson: string;
  requiresItems: boolean;
  builtIn: boolean;
}
