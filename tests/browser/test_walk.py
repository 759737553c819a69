"""A reader walks home → category → document in Chromium, with and without JavaScript."""
import pytest


@pytest.mark.parametrize("javascript", [True, False])
def test_home_to_category_to_document(browser, sample_site, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(sample_site)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text() == "政务公开示例专栏"

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="法定主动公开内容").click()
    assert page.get_by_role("heading", level=1).inner_text() == "法定主动公开内容"
    page.get_by_role("navigation", name="下级目录").get_by_role("link", name="规划计划").click()
    assert page.get_by_role("heading", level=1).inner_text() == "规划计划"
    crumbs = page.get_by_role("navigation", name="当前位置")
    assert crumbs.locator("[aria-current=page]").inner_text() == "规划计划"

    page.get_by_role("link", name="2021年临沂市大数据局政务公开工作要点").click()
    assert page.get_by_role("heading", level=1).inner_text() == "2021年临沂市大数据局政务公开工作要点"
    assert page.url.endswith("/doc/1560037521/dsjj/2021-0000065/")
    meta = page.get_by_role("group", name="文件信息")
    assert meta.locator("dt", has_text="索引号").locator("+ dd").inner_text() == "1560037521/dsjj/2021-0000065"
    assert page.get_by_role("navigation", name="当前位置").locator("[aria-current=page]").inner_text() == "正文"
    assert "根据《临沂市人民政府办公室关于印发2021年临沂市政务公开工作要点的通知》" in page.locator(".doc-body").inner_text()
    # 打印本页 is a JavaScript enhancement: shown only when it can work.
    assert page.get_by_role("button", name="打印本页").is_visible() is javascript
    related = page.locator("section.related")
    assert "相关解读" in related.inner_text()
    related.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "《2021年临沂市大数据局政务公开工作要点》解读"
    assert page.locator("section.related").get_by_role("link").inner_text() == "2021年临沂市大数据局政务公开工作要点"
    context.close()


def test_catalogue_entry_shows_how_to_apply_not_the_body(browser, sample_site):
    page = browser.new_page()
    page.goto(sample_site + "doc/lanshanqufczzf/2022-0000015/")
    assert page.get_by_role("heading", name="如何获取").is_visible()
    assert page.locator(".doc-body").count() == 0
    page.get_by_role("link", name="查看政府信息公开指南，了解申请方式").click()
    assert page.get_by_role("heading", level=1).inner_text() == "政府信息公开指南"
    page.close()


def test_withheld_document_is_not_found(browser, sample_site):
    page = browser.new_page()
    response = page.goto(sample_site + "doc/lanshanqufczzf/2021-0000701/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "页面不存在"
    page.get_by_role("link", name="返回首页").click()
    assert page.get_by_role("heading", level=1).inner_text() == "政务公开示例专栏"
    page.close()
