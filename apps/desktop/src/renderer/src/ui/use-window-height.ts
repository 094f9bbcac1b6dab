/** The window's inner height, updated on resize (for virtualised lists that fill the screen). */
import { useEffect, useState } from 'react';

/** Current `window.innerHeight`. */
export function useWindowHeight(): number {
  const [height, setHeight] = useState(window.innerHeight);
  useEffect(() => {
    const onResize = () => setHeight(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return height;
}
