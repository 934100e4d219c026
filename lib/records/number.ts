// How a record is named on screen: its number in the dataset, counted from 1. The grid, the
// detail panel, the run page and exports' reports all use this, so "#12" is one record.
export function recordNumber(index: number): number {
  return index + 1;
}

// toLocaleString builds a formatter on every call; the grid names two records per row it draws.
const INTEGER = new Intl.NumberFormat("en-US");

export function recordLabel(index: number): string {
  return `#${INTEGER.format(index + 1)}`;
}
