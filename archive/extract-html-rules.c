/* select and remove rules for HTML: XPath 1.0 over libxml2's tree.
 * `remove` rules cut their nodes out first; then, if there are `select`
 * rules, the nodes they choose are the roots the text is taken from, in
 * document order. A rule that does not compile, or that yields a number
 * or a string rather than nodes, is RL_EINVALID naming the rule; select
 * rules that match nothing are RL_EEXTRACT (a page whose layout changed
 * should fail, not become empty). libxml2 never prints: its XPath errors
 * go to a handler that drops them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "extract-int.h"

static int push(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(*v, c * size);

		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	(*n)++;
	return 0;
}

static void quiet(void *ctx, const xmlError *e)
{
	(void)ctx;
	(void)e;
}

static xmlXPathCompExprPtr compile(const char *rule)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(NULL);
	xmlXPathCompExprPtr c;

	if (!ctx)
		return NULL;
	ctx->error = (xmlStructuredErrorFunc)quiet; /* the library never prints */
	c = xmlXPathCtxtCompile(ctx, BAD_CAST rule);
	xmlXPathFreeContext(ctx);
	return c;
}

int rlx_html_check_rules(const rl_extract_opts *opts, rl_error *err)
{
	const rl_strv *sets[2] = {opts ? opts->select : NULL, opts ? opts->remove : NULL};
	static const char *const names[2] = {"select", "remove"};

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; sets[s] && i < sets[s]->n; i++) {
			xmlXPathCompExprPtr c = compile(sets[s]->v[i]);

			if (!c)
				return rl_error_set(err, RL_EINVALID,
						    "%s rule '%s': not a valid XPath expression",
						    names[s], sets[s]->v[i]);
			xmlXPathFreeCompExpr(c);
		}
	return 0;
}

/* The nodes a rule selects (elements and text), in document order. */
static int evaluate(xmlXPathContextPtr ctx, const char *kind, const char *rule, xmlNode ***out,
		    size_t *n, size_t *cap, rl_error *err)
{
	xmlXPathCompExprPtr c = compile(rule);
	xmlXPathObjectPtr r;
	int rc = 0;

	if (!c)
		return rl_error_set(err, RL_EINVALID, "%s rule '%s': not a valid XPath expression",
				    kind, rule);
	r = xmlXPathCompiledEval(c, ctx);
	xmlXPathFreeCompExpr(c);
	if (!r || r->type != XPATH_NODESET) {
		xmlXPathFreeObject(r);
		return rl_error_set(err, RL_EINVALID, "%s rule '%s': does not select nodes", kind,
				    rule);
	}
	for (int i = 0; r->nodesetval && i < r->nodesetval->nodeNr; i++) {
		xmlNode *x = r->nodesetval->nodeTab[i];

		if (x->type != XML_ELEMENT_NODE && x->type != XML_TEXT_NODE &&
		    x->type != XML_CDATA_SECTION_NODE)
			continue;
		if (push((void **)out, n, cap, sizeof(xmlNode *)) < 0) {
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
			break;
		}
		(*out)[*n - 1] = x;
	}
	xmlXPathFreeObject(r);
	return rc;
}

static int remove_nodes(xmlDocPtr doc, xmlXPathContextPtr ctx, const rl_strv *rules, rl_error *err)
{
	xmlNode **v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; rules && i < rules->n && rc == 0; i++)
		rc = evaluate(ctx, "remove", rules->v[i], &v, &n, &cap, err);
	/* Unlink every node before freeing any: one may hold another. */
	for (size_t i = 0; rc == 0 && i < n; i++)
		if ((xmlNode *)doc != v[i] && v[i]->parent)
			xmlUnlinkNode(v[i]);
		else
			v[i] = NULL;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (v[i] && (i == 0 || v[i] != v[i - 1]))
			xmlFreeNode(v[i]);
	free(v);
	return rc;
}

/* Where a node sits in document order: its own number and the last
 * number inside it, so that a chosen node inside another is read once. */
struct order {
	uint32_t at, end;
};

/* Numbers every node of the tree under root in document order; each
 * node's _private points at its entry of the returned array. */
static struct order *number_nodes(xmlNode *root)
{
	size_t count = 0, k = 0;
	struct order *o;
	xmlNode *n;

	for (n = root; n;) { /* count, then number */
		count++;
		if (n->children) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next)
			n = n->parent;
		n = n == root ? NULL : n->next;
	}
	if (count > UINT32_MAX || !(o = calloc(count ? count : 1, sizeof(*o))))
		return NULL;
	for (n = root; n;) {
		o[k].at = (uint32_t)k;
		n->_private = &o[k++];
		if (n->children) {
			n = n->children;
			continue;
		}
		for (;;) {
			((struct order *)n->_private)->end = (uint32_t)(k - 1);
			if (n == root) {
				n = NULL;
				break;
			}
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
	return o;
}

static int by_order(const void *a, const void *b)
{
	const struct order *x = (*(xmlNode *const *)a)->_private;
	const struct order *y = (*(xmlNode *const *)b)->_private;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* The nodes the select rules choose, in document order, leaving out any
 * inside another chosen one. */
static int select_nodes(xmlDocPtr doc, xmlXPathContextPtr ctx, const rl_strv *rules,
			const char *where, xmlNode ***roots, size_t *nroots, rl_error *err)
{
	xmlNode **v = NULL;
	struct order *order;
	size_t n = 0, cap = 0, k = 0;
	uint32_t end = 0;
	int rc = 0;

	for (size_t i = 0; i < rules->n && rc == 0; i++)
		rc = evaluate(ctx, "select", rules->v[i], &v, &n, &cap, err);
	if (rc == 0 && n == 0)
		rc = rl_error_set(err, RL_EEXTRACT, "%s: select rule%s matched nothing (%s%s)",
				  where, rules->n > 1 ? "s" : "", rules->v[0],
				  rules->n > 1 ? ", ..." : "");
	if (rc < 0) {
		free(v);
		return rc;
	}
	if (!(order = number_nodes((xmlNode *)doc))) {
		free(v);
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	if (n > 1)
		qsort(v, n, sizeof(xmlNode *), by_order);
	for (size_t i = 0; i < n; i++) {
		const struct order *at = v[i]->_private;

		if (k && at->at <= end)
			continue; /* inside what is chosen already */
		v[k++] = v[i];
		end = at->end;
	}
	free(order);
	*roots = v;
	*nroots = k;
	return 0;
}

int rlx_html_rules(xmlDocPtr doc, const rl_extract_opts *opts, const char *where, xmlNode ***roots,
		   size_t *n, rl_error *err)
{
	xmlXPathContextPtr ctx;
	int rc;

	*roots = NULL;
	*n = 0;
	if (!opts || !((opts->select && opts->select->n) || (opts->remove && opts->remove->n)))
		return 0;
	xmlXPathOrderDocElems(doc); /* sorting node sets then costs no tree walks */
	if (!(ctx = xmlXPathNewContext(doc)))
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	ctx->error = (xmlStructuredErrorFunc)quiet;
	rc = remove_nodes(doc, ctx, opts->remove, err);
	if (rc == 0 && opts->select && opts->select->n)
		rc = select_nodes(doc, ctx, opts->select, where, roots, n, err);
	xmlXPathFreeContext(ctx);
	return rc;
}
