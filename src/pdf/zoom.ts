/** `auto`, `page-fit`, `page-width`, or a scale where 1 is 100 %. */
export type Zoom = 'auto' | 'page-fit' | 'page-width' | number;
