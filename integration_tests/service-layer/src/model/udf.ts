/**
 * The food distributor's own customisation: user-defined fields (U_...) on standard objects and one
 * user-defined table without a user object, which the Service Layer exposes as entity set U_<TABLE> keyed by Code.
 * Types are written as in a v2 $metadata document.
 */

export interface UserFieldDef {
  name: string;
  type: 'Edm.String' | 'Edm.Int32' | 'Edm.Double' | 'Edm.DateTimeOffset';
}

/** Per entity or complex type; a field on DocumentLine shows on the lines of every marketing document. */
export const USER_FIELDS: Record<string, UserFieldDef[]> = {
  BusinessPartner: [
    { name: 'U_Region', type: 'Edm.String' },
    { name: 'U_Segment', type: 'Edm.String' },
  ],
  Document: [
    { name: 'U_Channel', type: 'Edm.String' },
    { name: 'U_DeliveryRoute', type: 'Edm.String' },
  ],
  DocumentLine: [{ name: 'U_PromoCode', type: 'Edm.String' }],
  Item: [
    { name: 'U_StorageTemp', type: 'Edm.String' },
    { name: 'U_ShelfLifeDays', type: 'Edm.Int32' },
  ],
};

export interface UserTableDef {
  entitySet: string;
  fields: UserFieldDef[];
}

export const USER_TABLES: UserTableDef[] = [
  {
    entitySet: 'U_FD_PROMOS',
    fields: [
      { name: 'U_ItemCode', type: 'Edm.String' },
      { name: 'U_Region', type: 'Edm.String' },
      { name: 'U_DiscountPct', type: 'Edm.Double' },
      { name: 'U_ValidFrom', type: 'Edm.DateTimeOffset' },
      { name: 'U_ValidTo', type: 'Edm.DateTimeOffset' },
      { name: 'U_Active', type: 'Edm.String' },
    ],
  },
];
