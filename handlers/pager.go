package handlers

import "auxportal/paging"

// pagerView is what the "pager" template draws: the page links of a list at base, with the
// previous and next pages' queries ("" at either end).
type pagerView struct {
	Base       string
	Links      []paging.Link
	Prev, Next string
}

func newPager(base string, links []paging.Link) pagerView {
	v := pagerView{Base: base, Links: links}
	for i, l := range links {
		if !l.Current {
			continue
		}
		if i > 0 && !links[i-1].Gap {
			v.Prev = links[i-1].Query
		}
		if i+1 < len(links) && !links[i+1].Gap {
			v.Next = links[i+1].Query
		}
	}
	return v
}
