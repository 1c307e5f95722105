// Path globs are defined once, in the spec layer that parses them; the supervisor compiles the same.
export { compilePathGlob, type PathGlob } from '../../spec/path-glob.js';
