// A data table's caption (for screen readers) and column headers. A column
// named with a leading `#` is numeric (right-aligned); `null` is an unnamed
// actions column.
export function TableHead({ caption, columns }: { caption: string; columns: readonly (string | null)[] }) {
  return (
    <>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, i) =>
            column === null ? (
              <th key={i} scope="col"><span className="visually-hidden">Actions</span></th>
            ) : column.startsWith('#') ? (
              <th key={i} scope="col" className="num">{column.slice(1)}</th>
            ) : (
              <th key={i} scope="col">{column}</th>
            ),
          )}
        </tr>
      </thead>
    </>
  );
}
