/** Documented limits of the text fields (characters) and lists; the API refuses anything beyond them. */
export const LIMITS = {
  title: 200,
  longText: 5000,
  name: 100,
  expertise: 2000,
  keyword: 30,
  keywords: 20,
  listItems: 50,
  price: 1e12,
} as const;
