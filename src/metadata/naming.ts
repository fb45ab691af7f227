/**
 * The column naming rule shared by every stream, schema and LookML view: SAP property names in
 * snake_case. Acronyms stay together (DocTotalFC -> doc_total_fc), existing underscores are kept
 * (Line_ID -> line_id, U_Region -> u_region) and digits stick to the word before them
 * (CostingCode2 -> costing_code2), so that the same SAP name always gives the same column.
 * SAP spells unit of measure "UoM" (UoMCode, UoMEntry); it is one word, not "uo_m".
 */
export function snakeCase(sapName: string): string {
  return sapName
    .replace(/UoM/g, 'Uom')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();
}
