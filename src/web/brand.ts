// What a page shows of the brand it is served under (issue 20 item 2). The web layer only renders it;
// where it comes from (preset, organisation, database) is the branding module's business, which sets
// `req.pageBrand` before the page is rendered. A null field means "the product's own default".
export interface SupportContact {
  email: string | null;
  phone: string | null;
  url: string | null;
  /** Free text such as «平日 9:00–18:00». */
  hours: string | null;
}

export interface Brand {
  /** The portal's name in the reader's language; null: the catalog's `app.name` (the preset's name). */
  name: string | null;
  /** Logo image URL (served by us with a long cache, a version in the query); null: the name as text. */
  logoUrl: string | null;
  faviconUrl: string | null;
  /** A stylesheet that sets the brand colour tokens (no inline styles under the CSP); null: the default colours. */
  themeUrl: string | null;
  /** The company named in the footer («© …»); null: the portal's name. */
  footerCompany: string | null;
  /** Shown on error pages and in mails. */
  support: SupportContact;
}

export const DEFAULT_BRAND: Brand = Object.freeze({
  name: null, logoUrl: null, faviconUrl: null, themeUrl: null, footerCompany: null,
  support: Object.freeze({ email: null, phone: null, url: null, hours: null }),
}) as Brand;
