// Alone in its file: the required person fields (person-fields.ts) name import columns, and the
// column table (columns.ts) reads which are required from them.

/** Key of a template column; identifiers are English, headers Chinese. */
export type ColumnKey = 'name' | 'idNumber' | 'branchFullName' | 'role' | 'joinedAt' | 'phone' | 'ethnicity' | 'education' | 'postTitle';
