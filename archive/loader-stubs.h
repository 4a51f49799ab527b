/* The trampolines of the libraries loaded on first use
 * (text-loader.c, git-loader.c): a function of the library's, defined
 * with the prototype from the library's header, that loads the library
 * (need(lib), the including file's own) and calls the real function
 * through the file's table of pointers (fn.p_<name>). For the X-macro
 * lists those files keep: F(lib, return type, name, parameters,
 * arguments), V(lib, name, parameters, arguments) for a void one. */
#ifndef REDLINE_LOADER_STUBS_H
#define REDLINE_LOADER_STUBS_H

#define LOADER_STUB(lib, ret, name, params, args)                                                  \
	ret name params                                                                            \
	{                                                                                          \
		need(lib);                                                                         \
		return fn.p_##name args;                                                           \
	}
#define LOADER_VSTUB(lib, name, params, args)                                                      \
	void name params                                                                           \
	{                                                                                          \
		need(lib);                                                                         \
		fn.p_##name args;                                                                  \
	}

#endif
