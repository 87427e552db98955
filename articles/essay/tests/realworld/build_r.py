"""Write the r-series of the real-world development set (articles/essay/tests/realworld/r*.txt/json).

The essays are the team's own writing (below, as structured data); this
script prints each one in a numbering scheme real pages use and damages it
the way document-sharing sites do (boilerplate, PDF line wraps, page
footers, watermarks, run-together text …), and writes the labels from the
same data, so the labels cannot drift from the text. Run it again after
editing an essay:

    .venv/bin/python articles/essay/tests/realworld/build_r.py

Pure Python, no Django.
"""

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent
CN = "一二三四五六七八九十"

# Each essay: title, unit, lead, sections [(heading, [paragraph, …] or [(point heading, paragraph), …])], conclusion.
ESSAYS = [
    dict(
        title="关于加强村级党组织书记队伍建设的思考",
        org="某县委组织部课题组",
        lead="村级党组织书记是农村基层党组织的带头人，是党在农村全部工作的直接组织者和推动者。近两年，我们对全县二百一十个行政村的书记队伍进行了专题调研，形成如下思考。",
        sections=[
            (
                "村级党组织书记队伍的基本情况",
                [
                    "全县现有村党组织书记二百一十名，其中大专以上学历的占三成，四十五岁以下的占四成，队伍结构较换届前明显优化。",
                    "多数书记熟悉村情民意，能够带领群众发展产业、化解矛盾，在疫情防控和乡村振兴中发挥了骨干作用。",
                ],
            ),
            (
                "当前存在的主要问题",
                [
                    "一些书记年龄偏大、思路不宽，习惯于凭经验办事，对新产业新业态了解不多。",
                    "后备力量储备不足，部分村找不到合适的接班人，年轻党员外出务工多、回村任职意愿低。",
                    "激励保障不够有力，报酬待遇与工作付出不相匹配，干事创业的劲头有所减弱。",
                ],
            ),
            (
                "加强书记队伍建设的对策建议",
                [
                    "拓宽选人渠道，注重从致富带头人、退役军人、返乡大学生中选拔书记，把政治素质好、带富能力强的人选出来。",
                    "强化教育培训，每年对书记全员轮训一次，组织到先进村实地观摩，帮助开阔眼界、提升本领。",
                    "健全激励机制，建立书记报酬正常增长机制，对实绩突出的优先推荐为各级党代表。",
                ],
            ),
        ],
        conclusion="总之，建强村级党组织书记队伍是一项长期任务，必须坚持不懈、久久为功，为乡村全面振兴提供坚强组织保证。",
    ),
    dict(
        title="推进机关党建与业务工作深度融合的实践与思考",
        org="某市直机关工委",
        lead="机关党建与业务工作“两张皮”是长期困扰机关党组织的突出问题。推动二者深度融合，是提高机关党建质量的必由之路。",
        sections=[
            (
                "深刻认识融合发展的重要意义",
                [
                    "机关是贯彻落实党中央决策部署的“最初一公里”，机关党建做得好不好，直接体现在业务工作的成效上。",
                    "只有把党建工作融入中心、服务大局，才能避免就党建抓党建，真正把组织优势转化为发展优势。",
                ],
            ),
            (
                "融合发展中存在的短板",
                [
                    "思想认识有偏差，有的干部认为业务是硬任务、党建是软指标，抓党建的主动性不强。",
                    "工作机制不健全，党建和业务同部署、同考核的要求落实不到位，考核结果运用不充分。",
                ],
            ),
            (
                "推动深度融合的路径",
                [
                    "坚持目标同向，年初将党建任务与业务目标一并研究、一并部署，形成统一的任务清单。",
                    "坚持考核同步，把党建考核结果与处室评优、干部使用挂钩，让抓党建有压力更有动力。",
                    "坚持载体同建，围绕重点项目成立党员先锋岗、攻坚突击队，让党旗在一线高高飘扬。",
                ],
            ),
        ],
        conclusion="实践证明，党建与业务融合得越紧，机关的凝聚力和战斗力就越强。",
    ),
    dict(
        title="新时代社区党组织引领基层治理的调研报告",
        org="某区委党校调研组",
        lead="社区是基层治理的“最后一公里”。为了解社区党组织引领治理的实际情况，调研组走访了全区十八个社区，召开座谈会九场，现将有关情况报告如下。",
        sections=[
            (
                "基本做法和成效",
                [
                    "各社区普遍建立了“社区党委—网格党支部—楼栋党小组”三级组织架构，党的组织覆盖到每一个网格。",
                    "推行在职党员到社区报到制度，一年来共有两千余名党员认领服务岗位，办理群众实事一千三百余件。",
                ],
            ),
            (
                "面临的困难和问题",
                [
                    "社区承接的事务过多，考核、填表、迎检占用大量精力，服务群众的时间被挤压。",
                    "物业企业、业主委员会与社区党组织的协同机制还不顺畅，遇到矛盾容易互相推诿。",
                ],
            ),
            (
                "进一步提升引领能力的建议",
                [
                    "为社区减负松绑，全面清理进社区事项，未经准入的一律不得下派。",
                    "推动红色物业建设，把物业企业党组织纳入社区党建联席会议，定期研究解决小区治理难题。",
                    "加强社区工作者队伍建设，落实薪酬动态调整，畅通优秀社区书记进入事业编制的渠道。",
                ],
            ),
        ],
        conclusion="社区党组织只有把群众的事当作自己的事，才能真正成为基层治理的主心骨。",
    ),
    dict(
        title="以高质量党建引领国有企业高质量发展",
        org="某集团公司党委",
        lead="坚持党的领导、加强党的建设，是国有企业的光荣传统，是国有企业的“根”和“魂”。近年来，集团党委坚持把党建工作与生产经营紧密结合，取得了明显成效。",
        sections=[
            (
                "把方向，发挥党委领导作用",
                [
                    "落实党委前置研究讨论重大经营管理事项制度，修订完善前置事项清单，确保企业改革发展始终沿着正确方向前进。",
                ],
            ),
            (
                "管大局，推动改革任务落地",
                [
                    "集团党委把国企改革三年行动作为重大政治任务，建立台账、挂图作战，各项改革任务全部按期完成。",
                ],
            ),
            (
                "保落实，建强基层战斗堡垒",
                [
                    "推动党支部标准化规范化建设，在项目一线设立临时党支部，把党员骨干放到最艰苦的岗位上去锻炼。",
                    "开展“党员先锋工程”创建活动，一批技术难题在党员攻关小组的努力下得到破解。",
                ],
            ),
        ],
        conclusion="集团党委将继续坚持“两个一以贯之”，以党建新成效推动企业高质量发展迈上新台阶。",
    ),
    dict(
        title="学习贯彻党的创新理论的心得体会",
        org="某镇党委",
        lead="通过参加为期一周的集中学习，我对党的创新理论有了更加系统的理解，思想上受到了深刻洗礼。结合自身工作，谈几点体会。",
        sections=[
            (
                "要在学深悟透上下功夫",
                [
                    "理论学习不能满足于读读报纸、听听报告，必须原原本本读原著、学原文、悟原理，做到知其然更知其所以然。",
                ],
            ),
            (
                "要在联系实际上下功夫",
                [
                    "学习的目的全在于运用。作为乡镇干部，要把学习成果转化为推动乡村振兴的具体思路和务实举措。",
                ],
            ),
            (
                "要在检视问题上下功夫",
                [
                    "对照理论要求查找自身差距，我感到在调查研究、统筹协调等方面还有不足，今后要主动补课、加快提高。",
                ],
            ),
            (
                "要在服务群众上下功夫",
                [
                    "群众满意不满意是检验学习成效的最终标准。要多到田间地头走一走，帮助群众解决急难愁盼问题。",
                ],
            ),
        ],
        conclusion="学习永无止境。我将以这次学习为新的起点，不断提高政治能力和履职本领。",
    ),
    dict(
        title="加强高校学生党员教育管理的对策研究",
        org="某学院党委组织部",
        lead="学生党员是高校党员队伍的重要组成部分。加强学生党员教育管理，对于培养担当民族复兴大任的时代新人具有重要意义。",
        sections=[
            (
                "学生党员教育管理的现状",
                [
                    (
                        "学生党员规模持续扩大",
                        "近五年来，学生党员人数年均增长百分之八，低年级学生入党积极性明显提高。",
                    ),
                    (
                        "教育形式日益丰富",
                        "各院系普遍开展了主题党日、红色研学等活动，线上学习平台使用率逐年上升。",
                    ),
                ],
            ),
            (
                "存在的主要问题",
                [
                    (
                        "入党动机有待端正",
                        "少数学生把入党看作求职加分的砝码，入党后放松了对自己的要求。",
                    ),
                    (
                        "日常管理存在盲区",
                        "学生实习、考研期间流动性大，支部对其思想动态掌握不够及时。",
                    ),
                ],
            ),
            (
                "改进教育管理的对策",
                [
                    ("严把发展入口关", "坚持成熟一个发展一个，把政治标准放在首位，杜绝突击发展。"),
                    ("创新教育培训方式", "运用新媒体开展微党课、云上支部等活动，增强教育的吸引力和感染力。"),
                    ("健全全程管理机制", "建立学生党员成长档案，实习期间实行双重管理，确保教育管理不断线。"),
                ],
            ),
        ],
        conclusion="加强学生党员教育管理是一项系统工程，需要学校、院系、支部协同发力、久久为功。",
    ),
    dict(
        title="非公有制企业党建工作的难点与破解之道",
        org="某经济开发区党工委",
        lead="非公有制企业数量多、分布广、流动性强，党建工作基础相对薄弱。开发区党工委在推进两个覆盖方面进行了积极探索。",
        sections=[
            (
                "非公企业党建面临的难点",
                [
                    "部分企业主对党建工作认识不足，担心开展党组织活动影响生产经营。",
                    "党员流动频繁，组织关系转接不及时，一些企业党组织处于“有组织无活动”的状态。",
                ],
            ),
            (
                "破解难点的主要做法",
                [
                    "选派党建指导员驻企服务，帮助企业建立党组织、规范组织生活，全区新建企业党组织三十六个。",
                    "以党建带群建，推动工会、共青团组织同步组建，形成党群共建的良好格局。",
                ],
            ),
            (
                "下一步工作打算",
                [
                    "探索建立园区综合党委，统筹区域内党建资源，推动小微企业党建抱团发展。",
                    "把党建工作成效纳入企业评先评优的重要内容，引导企业主主动支持党建工作。",
                ],
            ),
        ],
        conclusion="非公企业党建没有现成模式可循，唯有因企施策、持续用力，才能不断扩大党在新兴领域的影响力。",
    ),
    dict(
        title="以党建引领乡村振兴的几点体会",
        org="某乡党委",
        lead="乡村振兴，关键在党。近年来，我乡坚持把抓党建促乡村振兴作为头等大事，走出了一条党建引领、产业支撑、群众受益的发展路子。",
        sections=[
            (
                "选好带头人是关键",
                [
                    "我们把政治素质好、带富能力强、群众威望高作为选人标准，换届后村书记平均年龄下降七岁。",
                ],
            ),
            (
                "发展集体经济是基础",
                [
                    "各村因地制宜发展特色种植、乡村旅游和农产品加工，全乡村级集体经济收入全部超过十五万元。",
                ],
            ),
            (
                "服务群众是根本",
                [
                    "推行党员联户制度，每名党员联系五至十户群众，做到民情在一线掌握、问题在一线解决。",
                ],
            ),
        ],
        conclusion="实践使我们深刻认识到，只有把党组织建强，乡村振兴才有坚实的根基。",
    ),
    dict(
        title="提升党员发展质量的实践探索",
        org="某县委组织部",
        lead="发展党员是党的建设的一项经常性重要工作。针对以往发展党员工作中存在的重数量、轻质量等问题，我县从严从实加强全过程管理。",
        sections=[
            (
                "严格标准程序",
                [
                    "制定发展党员工作流程图和二十五个环节的操作指引，做到每一步都有章可循、有据可查。",
                ],
            ),
            (
                "优化队伍结构",
                [
                    "注重在青年农民、产业工人和高知识群体中发展党员，近三年新发展党员中三十五岁以下的占七成。",
                ],
            ),
            (
                "加强全程监督",
                [
                    "实行发展党员预审制度和违规发展党员责任追究，对发现的问题限期整改，确保发展质量。",
                ],
            ),
        ],
        conclusion="发展党员工作只有起点没有终点，必须始终坚持质量第一，把好党员队伍入口关。",
    ),
    dict(
        title="加强党支部标准化规范化建设的思考",
        org="某区委组织部",
        lead="党支部是党的基础组织，担负着直接教育党员、管理党员、监督党员和组织群众、宣传群众、凝聚群众、服务群众的职责。",
        sections=[
            (
                "标准化规范化建设的主要内容",
                [
                    "重点是组织设置规范、组织生活规范、党员管理规范、阵地建设规范和制度执行规范五个方面。",
                ],
            ),
            (
                "推进过程中存在的问题",
                [
                    "个别支部把标准化建设等同于挂牌子、建台账，重形式轻内容，资料做得漂亮、实际作用一般。",
                    "部分支部书记精力不足，兼职多、任务重，对支部工作投入不够。",
                ],
            ),
            (
                "推进标准化建设的措施",
                [
                    "坚持分类指导，针对机关、农村、社区、企业等不同领域制定差异化标准，避免一刀切。",
                    "坚持以评促建，每年开展星级评定，对后进支部实行挂牌督办、限期提升。",
                ],
            ),
        ],
        conclusion="标准化规范化建设重在常态长效，要把标准落实到支部工作的每一天。",
    ),
    dict(
        title="做好新时代老干部工作的调查与建议",
        org="某市委老干部局",
        lead="老干部是党和国家的宝贵财富。为掌握全市老干部工作的新情况新问题，我们开展了为期两个月的专题调研。",
        sections=[
            (
                "老干部工作的主要成效",
                [
                    "离退休干部党支部实现应建尽建，组织生活正常开展，老干部政治待遇和生活待遇得到较好落实。",
                ],
            ),
            (
                "面临的新情况",
                [
                    "老干部高龄化、空巢化趋势明显，八十岁以上的占到四成，对生活照料和医疗服务的需求日益增加。",
                ],
            ),
            (
                "做好工作的建议",
                [
                    "完善走访慰问和结对帮扶制度，对高龄、独居老干部做到每月上门一次。",
                    "搭建老干部发挥作用平台，组织老同志参与关心下一代、基层调解等工作，让他们老有所为。",
                ],
            ),
        ],
        conclusion="做好老干部工作，既是政治责任，也是感情投入，必须用心用情、精准服务。",
    ),
    dict(
        title="深化基层党风廉政建设的路径探析",
        org="某县纪委监委",
        lead="基层是党风廉政建设的前沿阵地。群众身边的不正之风和腐败问题，直接损害群众利益，必须下大力气解决。",
        sections=[
            (
                "基层党风廉政建设的现状",
                [
                    "近年来，全县查处群众身边腐败和作风问题一百二十余起，基层政治生态持续向好。",
                ],
            ),
            (
                "存在的薄弱环节",
                [
                    "村级小微权力监督仍有盲区，集体资金资产资源管理不够规范，部分村账目公开不及时。",
                ],
            ),
            (
                "深化建设的对策",
                [
                    "制定村级小微权力清单，明确权力事项和运行流程，让权力在阳光下运行。",
                    "推进基层监督信息平台建设，群众扫码即可查询村级财务和惠民资金发放情况。",
                ],
            ),
        ],
        conclusion="全面从严治党永远在路上，基层党风廉政建设只能加强、不能削弱。",
    ),
]

# One more paragraph per section, so that every essay is 600 characters or more.
EXTRA = {
    0: [
        "从年龄结构看，五十岁以上的书记仍有六十余名，主要集中在偏远山区村，这些村人口外流明显，选人难度较大。",
        "此外，少数书记存在重经济轻党建的倾向，对“三会一课”等制度执行不严，党员教育管理流于形式。",
        "同时要加强日常监督，推行书记履职纪实管理，对履职不力的及时调整，确保队伍始终保持干事创业的良好状态。",
    ],
    1: [
        "近年来，我们在市直机关开展了“党建+业务”示范点创建，涌现出一批融合发展的好典型，为面上工作提供了借鉴。",
        "此外，党建活动载体与业务工作结合不紧，一些主题党日活动内容空泛，与本单位中心任务关联不大，党员参与热情不高。",
        "坚持队伍同育，把业务骨干培养成党员、把党员培养成业务骨干，让党务干部和业务干部双向交流、共同提高。",
    ],
    2: [
        "各社区还普遍建立了党群议事会，群众关心的加装电梯、停车难等问题拿到议事会上协商，一批难题得到有效化解。",
        "社区工作者队伍流动性较大，薪酬待遇偏低，年轻人留不住，一些社区的骨干力量出现了断档。",
        "同时要用好智慧社区平台，推动党建、政务、服务数据互联互通，让群众办事少跑腿、信息多跑路。",
    ],
    3: [
        "集团党委坚持每季度听取一次下属企业党组织书记述职，对发现的问题列出清单、限期整改，推动责任层层落实。",
        "在混合所有制改革中，集团党委坚持党的建设同步谋划、党的组织及工作机构同步设置，确保改到哪里党的建设就跟进到哪里。",
        "同时建立党员责任区，把安全生产、降本增效等指标分解到每名党员，让党员身份在岗位上亮出来、作用发挥出来。",
    ],
    4: [
        "我给自己定了一个读书计划，每天抽出一小时研读原著，并把学习心得整理成笔记，在支部学习会上交流分享。",
        "比如在推进人居环境整治中，我运用学到的群众观点，先听群众意见再定方案，工作推进得比以往顺利得多。",
        "我将把检视出的问题列成清单，明确整改时限，能立即改的马上改，需要长期坚持的持续改，做到件件有着落。",
        "我所联系的村有二十多户困难群众，我将坚持每月走访，帮助他们解决就医、就业、子女上学等实际困难。",
    ],
    5: [
        "调研组通过问卷调查、个别访谈等方式，收集了七百余名学生党员和入党积极分子的意见建议。",
        "调查显示，近三成学生党员认为组织生活内容单一，对支部活动的获得感不强。",
        "各院系要把学生党员教育管理纳入党建工作考核，压实党支部书记的直接责任。",
    ],
    6: [
        "调研中还发现，一些小微企业党员人数少，难以单独建立党组织，党员只能挂靠在社区或行业党组织。",
        "我们还推行“党建工作服务包”，把政策咨询、人才招引、融资对接等服务送到企业，让企业主切实感受到党建的价值。",
        "同时加强对企业党组织书记的培训，每年组织一次集中轮训，提高他们做好党建工作的能力。",
    ],
    7: [
        "同时，我们把三十五岁以下的年轻党员纳入村级后备力量库，实行导师帮带，为村级班子储备了一批接班人。",
        "乡党委还牵头成立了产业联合党委，把种植大户、合作社和村党组织连在一起，统一品牌、统一销售，农民收入明显增加。",
        "各村还建立了党员代办服务点，群众办理社保、医保等事项由党员帮助代办，真正做到小事不出村。",
    ],
    8: [
        "我们对入党申请人、积极分子、发展对象实行分类建档，每个环节的材料都由乡镇党委专人审核。",
        "同时，对流动党员较多的村，探索在外出务工集中地建立流动党员党支部，把入党积极分子的培养延伸到务工一线。",
        "县委组织部每年开展一次发展党员工作专项检查，检查结果纳入基层党建述职评议考核。",
    ],
    9: [
        "其中，组织生活规范是核心，要严格落实“三会一课”、组织生活会、民主评议党员等制度，增强组织生活的政治性。",
        "还有的支部活动阵地利用率不高，党员活动室平时大门紧锁，只在上级检查时才开放使用。",
        "坚持示范带动，每年培育一批星级党支部，组织后进支部到先进支部观摩学习，形成比学赶超的氛围。",
    ],
    10: [
        "全市还建立了老干部活动中心和分中心三十余个，老同志读书学习、文体活动的阵地条件明显改善。",
        "同时，部分老干部党支部活动方式单一，对行动不便的老同志，组织生活难以覆盖到位。",
        "还要用好智能手机培训等服务，帮助老同志跨越数字鸿沟，让他们共享信息化发展成果。",
    ],
    11: [
        "县纪委监委还组织开展了惠民惠农财政补贴资金专项治理，追回违规资金一百余万元，群众反响良好。",
        "一些基层干部纪律意识淡薄，存在优亲厚友、吃拿卡要等问题，虽然金额不大，但损害了党群关系。",
        "同时要加强警示教育，用身边事教育身边人，每年组织基层干部旁听庭审、参观警示教育基地。",
    ],
}


def _lengthen():
    for index, extras in EXTRA.items():
        sections = ESSAYS[index]["sections"]
        for (_heading, items), extra in zip(sections, extras, strict=False):
            if items and not isinstance(items[0], str):
                items.insert(0, extra)
            else:
                items.append(extra)


_lengthen()

# A second sentence for each lead and conclusion.
MORE = {
    0: (
        "调研采取实地走访、个别谈话、问卷调查相结合的方式，共发放问卷一千二百份，召开座谈会二十余场，基本摸清了书记队伍的底数。",
        "各级党组织要把这项工作摆在突出位置，主要负责同志亲自抓，组织部门具体抓，形成齐抓共管的工作格局。",
    ),
    1: (
        "市直机关工委以“模范机关”创建为抓手，连续两年开展融合发展专项调研，现将有关思考整理如下，供交流参考。",
        "下一步，我们将继续总结推广基层单位的好经验好做法，推动机关党建工作质量不断提升，为全市中心工作提供有力保障。",
    ),
    2: (
        "调研期间，我们还随机入户走访居民三百余户，面对面听取群众对社区工作的意见和建议，掌握了大量第一手材料。",
        "各级党组织要持续加强社区党组织建设，推动资源、服务、管理向社区下沉，不断提升城市基层治理的效能。",
    ),
    3: (
        "集团所属企业党组织二百一十个、党员五千八百余名，分布在生产经营的各个领域，是推动企业发展的骨干力量。",
        "面向未来，我们将坚定不移走好国有企业高质量党建之路，在服务国家战略中展现新作为、作出新贡献。",
    ),
    4: (
        "这次学习安排紧凑、内容丰富，既有专家辅导，又有分组讨论和现场教学，使我在理论上有了新提高，在思想上有了新认识。",
        "作为一名基层党员干部，我要始终牢记初心使命，把学习成果体现到为民服务的实际行动中，努力做出经得起检验的实绩。",
    ),
    5: (
        "本文结合学院近年来的工作实践，对学生党员教育管理的现状、问题和对策作一些初步探讨，以期为同类院校提供参考。",
        "学院党委将以此次研究成果为基础，进一步完善制度、创新方法，努力培养更多政治过硬、品学兼优的学生党员。",
    ),
    6: (
        "截至目前，全区规模以上非公企业党组织覆盖率达到九成以上，一批企业党组织在稳就业、促发展中发挥了积极作用。",
        "我们将进一步加大工作力度，推动非公企业党建从有形覆盖向有效覆盖转变，为园区高质量发展注入红色动能。",
    ),
    7: (
        "全乡共有十二个行政村、党员六百余名，近三年村级集体经济收入和农民人均可支配收入均保持两位数增长。",
        "下一步，乡党委将继续坚持以党建为引领，聚焦产业兴旺和生活富裕，奋力推动乡村振兴取得新的更大成效。",
    ),
    8: (
        "全县共有基层党组织一千三百余个，每年新发展党员八百名左右，保持了党员队伍的生机活力。",
        "我们将以更高标准、更严要求抓好发展党员工作，为党的事业不断输送新鲜血液，使党员队伍始终充满生机活力。",
    ),
    9: (
        "推进党支部标准化规范化建设，是落实新时代党的建设总要求、夯实党的执政根基的重要举措，全区已开展此项工作三年。",
        "各级党组织要以钉钉子精神抓好落实，推动每个党支部都成为坚强战斗堡垒，为基层治理和经济发展提供坚强保证。",
    ),
    10: (
        "调研采取召开座谈会、走访慰问、发放征求意见表等方式，共联系离退休干部四百余人次，收集意见建议六十余条。",
        "我们将认真梳理调研中发现的问题，逐项研究解决办法，努力让老干部生活得更加舒心、安心、开心。",
    ),
    11: (
        "县纪委监委坚持把整治群众身边腐败和不正之风作为重点，持续释放一严到底的强烈信号，推动全面从严治党向基层延伸。",
        "我们将坚持严的主基调不动摇，以更加有力的举措推进基层党风廉政建设，让群众在每一起案件查处中感受到公平正义。",
    ),
}
for _i, (_lead, _end) in MORE.items():
    ESSAYS[_i]["lead"] += _lead
    ESSAYS[_i]["conclusion"] += _end


# A third paragraph per section for the shorter essays.
THIRD = {
    7: [
        "选出来还要育得好。乡党委每季度组织一次村书记擂台比武，让大家比思路、比实绩，在比较中找差距、在交流中长本领。",
        "发展集体经济不能一哄而上，我们坚持一村一策，请农技专家和经营能人帮助论证项目，避免盲目投资造成损失。",
        "服务群众还要建立长效机制，我们把群众反映的问题全部录入台账，办结一件销号一件，群众满意度逐年提高。",
    ],
    8: [
        "每名发展对象在确定前都要经过党员、群众两次推荐，推荐结果在村务公开栏公示，接受群众监督。",
        "对高知识群体，我们注重在医院、学校、科研单位中做好发展工作，安排党员专家一对一联系培养优秀人才。",
        "对群众反映的违规发展党员问题，我们坚持有诉必查、查实必究，近三年来共纠正不规范发展党员问题十余起。",
    ],
    9: [
        "阵地建设规范也很重要，每个党支部都要有固定的活动场所，配备必要的学习资料和设施，做到有场所、有标识、有制度。",
        "还有一些支部的党员管理不够严格，流动党员长期不参加组织生活，党费收缴不及时，组织观念有所淡化。",
        "坚持制度保障，把标准化建设情况纳入支部书记述职评议的重要内容，考评结果与评先评优直接挂钩。",
    ],
    10: [
        "全市老干部工作部门还组建了银发宣讲团，组织老同志深入机关、学校、社区宣讲党的创新理论，受到广泛欢迎。",
        "基层老干部工作力量薄弱，一些单位由兼职人员负责，工作经费保障不足，服务工作难以做细做实。",
        "还要加强老干部工作队伍建设，配齐配强工作人员，定期开展业务培训，提高服务老干部的能力水平。",
    ],
    11: [
        "全县还建立了村务监督委员会，监督委员会主任由村党组织纪检委员担任，村级重大事项全程参与监督。",
        "另外，基层监督力量比较分散，乡镇纪委人员少、任务重，对村级事务的日常监督难以做到全覆盖。",
        "还要推动乡镇纪委与村务监督委员会有效衔接，建立问题线索移交和联合办案机制，形成监督合力。",
    ],
}
for _i, _paragraphs in THIRD.items():
    for (_heading, _items), _paragraph in zip(ESSAYS[_i]["sections"], _paragraphs, strict=False):
        _items.append(_paragraph)


# Section-level words used by the 首先/其次 scheme.
ORDINALS = ["首先", "其次", "再次", "最后"]
ORDINALS5 = ["首先", "其次", "再次", "第四", "最后"]


def cn(i):
    return CN[i - 1] if i <= 10 else "十" + CN[i - 11]


def paragraphs_of(items):
    """A section's paragraphs: plain strings, or point (heading, body) pairs flattened as 1. heading。body."""
    return [item if isinstance(item, str) else f"{item[0]}。{item[1]}" for item in items]


def render(essay, scheme, *, points="cn_paren"):
    """(text lines, headings) for one essay in ``scheme``."""
    lines = [essay["title"], essay["lead"]]
    headings = []
    for i, (heading, items) in enumerate(essay["sections"], start=1):
        if scheme == "cn_dun":
            label = f"{cn(i)}、{heading}"
        elif scheme == "ar_dun":
            label = f"{i}、{heading}"
        elif scheme == "ar_dot":
            label = f"{i}.{heading}"
        elif scheme == "ar_fdot":
            label = f"{i}．{heading}"
        elif scheme == "cn_paren":
            label = f"（{cn(i)}）{heading}"
        elif scheme == "di_dun":
            label = f"第{cn(i)}、{heading}"
        elif scheme == "di_part":
            label = f"第{cn(i)}部分 {heading}"
        elif scheme == "di_chapter":
            label = f"第{cn(i)}章 {heading}"
        elif scheme == "plain":
            label = heading
        else:
            raise ValueError(scheme)
        lines.append(label)
        headings.append(label)
        for j, item in enumerate(items, start=1):
            if isinstance(item, str):
                lines.append(item)
            elif scheme in ("di_part", "di_chapter"):
                lines.append(f"{i}.{j} {item[0]}")
                lines.append(item[1])
            elif scheme in ("cn_paren",):
                lines.append(f"{j}.{item[0]}。{item[1]}")
            elif scheme in ("ar_dun", "ar_dot", "ar_fdot"):
                lines.append(f"（{j}）{item[0]}。{item[1]}")
            else:
                lines.append(f"（{cn(j)}）{item[0]}")
                lines.append(item[1])
    lines.append(essay["conclusion"])
    lines.append(essay["org"])
    return lines, headings


def render_ordinal(essay):
    """首先/其次/再次/最后: each section's first paragraph opens with the ordinal and a short heading sentence."""
    words = ORDINALS5 if len(essay["sections"]) == 5 else ORDINALS[: len(essay["sections"]) - 1] + ["最后"]
    if len(essay["sections"]) == 2:
        words = ["首先", "其次"]
    lines = [essay["title"], essay["lead"]]
    headings = []
    for word, (heading, items) in zip(words, essay["sections"], strict=True):
        text = paragraphs_of(items)
        lines.append(f"{word}，{heading}。{text[0]}")
        headings.append(f"{word}，{heading}")
        lines.extend(text[1:])
    lines += [essay["conclusion"], essay["org"]]
    return lines, headings


def render_yishi(essay, nested=False):
    """Only 一是/二是 paragraphs: each section is one paragraph 一是<heading>，<text>."""
    lines = [essay["title"], essay["lead"]]
    headings = []
    for i, (heading, items) in enumerate(essay["sections"], start=1):
        text = "".join(paragraphs_of(items))
        if nested and i == 2:
            text += "具体来说，一是要明确责任，二是要细化措施，三是要加强督促。"
        lines.append(f"{cn(i)}是{heading}，{text}")
        headings.append(f"{cn(i)}是{heading}")
    lines += [essay["conclusion"], essay["org"]]
    return lines, headings


def render_qa(essay):
    lines = [essay["title"], essay["lead"]]
    headings = []
    for heading, items in essay["sections"]:
        question = f"如何理解“{heading}”？"
        lines.append(f"问：{question}")
        lines.append("答：" + "".join(paragraphs_of(items)))
        headings.append(question)
    lines += [essay["conclusion"], essay["org"]]
    return lines, headings


def render_question_headings(essay):
    lines = [essay["title"], essay["lead"]]
    headings = []
    for heading, items in essay["sections"]:
        question = f"怎样做到{heading}？"
        lines.append(question)
        lines.extend(paragraphs_of(items))
        headings.append(question)
    lines += [essay["conclusion"], essay["org"]]
    return lines, headings


def render_intro_body_end(essay):
    """引言/主体/结语: 主体 holds the sections as unnumbered point headings."""
    lines = [essay["title"], "引言", essay["lead"], "主体"]
    for heading, items in essay["sections"]:
        lines.append(heading)
        lines.extend(paragraphs_of(items))
    lines += ["结语", essay["conclusion"], essay["org"]]
    return lines, ["主体"]


# --- damage -----------------------------------------------------------------

BOILER_TOP = [
    "《{title}》由会员分享,可在线阅读,更多相关《{title}》请在文库网上搜索。",
    "版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领",
    "文档简介",
    "收藏",
    "点击: 2022-09-05",
    "以下是为大家整理的{title}，欢迎品鉴!",
    "最新精选范文大全免费下载，公文写作素材每日更新",
]
BOILER_BOTTOM = ["第1页共7页", "本文来源于网络，仅供学习交流使用", "【党建文库】(www.djwenku-example.com)"]


def wrap(lines, rng):
    """Hard PDF wraps: every line cut at the page width (22–38 characters, fixed per document)."""
    width = rng.randint(22, 38)
    out = []
    for line in lines:
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


def anticopy(lines, rng, every=3):
    junk = ["qk7Zp", "x3Ma9", "Wm2rT8", "h8Qe"]
    out = []
    for n, line in enumerate(lines):
        if n > 1 and n % every == 0 and "。" in line[:-1]:
            at = line.index("。") + 1
            line = line[:at] + rng.choice(junk) + line[at:]
        out.append(line)
    return out


def cite_markers(lines):
    out = []
    for n, line in enumerate(lines):
        if n > 1 and n % 4 == 2 and line.endswith("。"):
            line = line[:-1] + f"网页{n + 3}。"
        out.append(line)
    return out


def page_footers(lines, total=3):
    out = []
    step = max(3, len(lines) // total)
    page = 1
    for n, line in enumerate(lines, start=1):
        out.append(line)
        if n % step == 0 and page < total:
            out.append(f"第{page}页共{total}页")
            page += 1
    out.append(f"第{total}页共{total}页")
    return out


def write(eid, lines, headings, *, essays=1, damage=(), clean=False, joiner="\n"):
    text = joiner.join(lines) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{eid}.txt").write_text(text, encoding="utf-8")
    label = {"essays": essays, "headings": headings, "swaps": [], "clean": clean, "damage": list(damage)}
    (OUT / f"{eid}.json").write_text(json.dumps(label, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main():
    rng = random.Random(19)
    E = ESSAYS
    n = 0

    def eid():
        nonlocal n
        n += 1
        return f"r{n:03d}"

    def boil(lines, title, top=(0, 1), bottom=()):
        head = [BOILER_TOP[i].format(title=title) for i in top]
        tail = [BOILER_BOTTOM[i] for i in bottom]
        return head + lines + tail

    # Schemes, lightly damaged.
    lines, h = render(E[0], "ar_dun")
    write(eid(), boil(lines, E[0]["title"]), h, damage=["scheme_1dun", "boilerplate"])
    lines, h = render(E[1], "ar_dot")
    write(eid(), lines, h, damage=["scheme_1dot"])
    lines, h = render(E[2], "ar_fdot")
    write(eid(), boil(lines, E[2]["title"], top=(4,), bottom=(0,)), h, damage=["scheme_1fdot", "boilerplate"])
    lines, h = render(E[3], "cn_paren")
    write(eid(), lines, h, damage=["scheme_cnparen_top"])
    lines, h = render(E[5], "di_part")
    write(eid(), lines, h, damage=["scheme_di_part"])
    lines, h = render(E[5], "di_chapter")
    write(eid(), boil(lines, E[5]["title"], top=(2, 3)), h, damage=["scheme_di_chapter", "boilerplate"])
    lines, h = render(E[6], "di_dun")
    write(eid(), lines, h, damage=["scheme_di_dun"])
    lines, h = render_ordinal(E[4])
    write(eid(), lines, h, damage=["scheme_ordinal"])
    lines, h = render_ordinal(E[7])
    write(eid(), boil(lines, E[7]["title"], top=(5,)), h, damage=["scheme_ordinal", "boilerplate"])
    lines, h = render(E[8], "plain")
    write(eid(), lines, h, damage=["scheme_unnumbered"])
    lines, h = render(E[9], "plain")
    write(eid(), wrap(lines, rng), h, damage=["scheme_unnumbered", "pdf_wraps"])
    lines, h = render_intro_body_end(E[10])
    write(eid(), lines, h, damage=["scheme_intro_body_end"])
    lines, h = render_yishi(E[11])
    write(eid(), lines, h, damage=["scheme_yishi"])
    lines, h = render_yishi(E[2], nested=True)
    write(eid(), lines, h, damage=["scheme_yishi", "nested"])
    lines, h = render_qa(E[4])
    write(eid(), lines, h, damage=["scheme_qa"])
    lines, h = render_question_headings(E[8])
    write(eid(), lines, h, damage=["scheme_question_heading"])

    # Heavier damage on the ordinary 一、 scheme.
    lines, h = render(E[0], "cn_dun")
    write(eid(), wrap(boil(lines, E[0]["title"], top=(0, 1, 2, 3, 4)), rng), h, damage=["pdf_wraps", "boilerplate"])
    lines, h = render(E[3], "cn_dun")
    write(eid(), page_footers(wrap(lines, rng)), h, damage=["pdf_wraps", "page_footer"])
    lines, h = render(E[6], "cn_dun")
    write(
        eid(),
        anticopy(boil(lines, E[6]["title"], top=(6,), bottom=(2,)), rng),
        h,
        damage=["seo", "watermark", "anticopy"],
    )
    lines, h = render(E[7], "cn_dun")
    write(eid(), cite_markers(lines), h, damage=["citation_markers"])
    lines, h = render(E[9], "ar_dun")
    write(eid(), wrap(page_footers(lines), rng), h, damage=["scheme_1dun", "pdf_wraps", "page_footer"])

    # Mid-essay excerpts.
    lines, h = render(E[1], "cn_dun")
    cut = lines.index(h[1])
    write(eid(), [lines[cut - 1][9:], *lines[cut:]], h[1:], damage=["mid_start"])
    lines, h = render(E[5], "cn_dun")
    cut = lines.index(h[1])
    write(eid(), [lines[cut - 2][7:], lines[cut - 1], *lines[cut:]], h[1:], damage=["mid_start"])

    # One long paragraph without line breaks.
    lines, h = render(E[2], "cn_dun")
    write(eid(), ["".join(lines)], h, damage=["one_paragraph"])
    lines, h = render(E[5], "cn_dun", points="ar_dun")
    flat = []
    for line in lines:
        flat.append(line)
    joined = "".join(flat).replace("（一）", "1、").replace("（二）", "2、").replace("（三）", "3、")
    write(eid(), [joined], h, damage=["one_paragraph", "heading_runs_into_point"])
    lines, h = render(E[10], "cn_dun")
    write(eid(), [" ".join(lines)], h, damage=["one_paragraph", "spaces"])

    # Multi-essay pages.
    page, heads = ["基层党建工作心得体会（通用3篇）"], []
    for k, e in enumerate((E[4], E[7], E[8]), start=1):
        lines, h = render(e, "cn_dun")
        page += [f"【篇{k}】{lines[0]}", *lines[1:]]
        heads += h
    write(eid(), boil(page, "基层党建工作心得体会", top=(5,)), heads, essays=3, damage=["multi", "boilerplate"])
    page, heads = ["党支部工作调研报告范文两篇"], []
    for k, e in enumerate((E[9], E[11]), start=1):
        lines, h = render(e, "cn_dun")
        page += [f"范文{cn(k)}", *lines]
        heads += h
    write(eid(), page, heads, essays=2, damage=["multi"])
    page, heads = ["关于党建工作的思考（精选2篇）"], []
    for k, e in enumerate((E[1], E[10]), start=1):
        lines, h = render(e, "ar_dun")
        page += [f"【篇{k}】", *lines]
        heads += h
    write(eid(), wrap(page, rng), heads, essays=2, damage=["multi", "scheme_1dun", "pdf_wraps"])

    # Text without any structure (one section expected): no headings.
    e = E[7]
    body = [e["title"], e["lead"], *("".join(paragraphs_of(items)) for _, items in e["sections"]), e["conclusion"]]
    write(eid(), body, [], damage=["no_structure"])

    # Clean, well-edited essays (全角（一）).
    for k in (0, 5, 3, 10, 11):
        lines, h = render(E[k], "cn_dun")
        write(eid(), lines, h, clean=True, damage=[])
    print(f"wrote {n} essays to {OUT}")


if __name__ == "__main__":
    main()
